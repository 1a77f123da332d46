import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { generateSampleDirectory } from '../../src/dev/sample-directory.js';
import { searchAttributes } from '../../src/workflows/definitions.js';
import { addPerson, addToGroup } from '../helpers/directory.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { startTemporal } from '../helpers/temporal.js';

let temporal: TestWorkflowEnvironment;
let stack: Stack | undefined;

beforeAll(async () => {
  temporal = await startTemporal();
});

afterAll(async () => {
  await temporal?.teardown();
});

afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe('provisioning through a misbehaving ServiceNow', () => {
  test('ends with exactly one right account per user after 5xx errors, a 429 storm and commits answered 500', async () => {
    const sample = generateSampleDirectory({
      suffix: 'dc=example,dc=com',
      people: 680,
      seed: 3,
      disabledShare: 0,
    });
    const expected = sample.people.filter((p) =>
      p.groups.some((g) => [sample.groupDns.scope, ...sample.groupDns.nested].includes(g)),
    );
    expect(expected.length).toBeGreaterThanOrEqual(500);
    stack = await startStack(temporal, {
      directory: { ldif: sample.ldif, scopeGroup: sample.groupDns.scope },
      // Retries under this many faults take a while on a busy machine: the test is about the end state.
      settleTimeoutMs: 360_000,
    });
    stack.emulator.setFaults({
      errorRate: 0.2,
      commitThen500: 0.2,
      rateLimit: { requestsPerSecond: 40 },
      seed: 11,
    });

    const summary = await stack.reconcile();

    const log = stack.emulator.requestLog();
    expect(log.filter((e) => e.fault === 'error500' || e.fault === 'error503').length).toBeGreaterThan(50);
    expect(log.filter((e) => e.fault === 'rateLimit').length).toBeGreaterThan(50);
    expect(log.filter((e) => e.fault === 'commitThen500').length).toBeGreaterThan(10);
    expect(log.filter((e) => e.status === 403)).toEqual([]);
    expect(await stack.failedUsers()).toEqual([]);
    expect(summary.outcome).toEqual({ settled: expected.length, failed: 0, unsettled: 0 });

    const accounts = stack.emulator.records('sys_user');
    for (const person of expected) {
      const mine = accounts.filter((a) => a.user_name?.toLowerCase() === person.uid.toLowerCase());
      expect(mine).toEqual([
        expect.objectContaining({
          active: 'true',
          first_name: person.givenName,
          last_name: person.sn,
          email: person.mail,
        }),
      ]);
    }
    expect(accounts).toHaveLength(expected.length + 3);
  }, 480_000);

  test('reads a sys_user table of many pages under 20 % 5xx in the first attempt, asking again for each failed page', async () => {
    const sample = generateSampleDirectory({
      suffix: 'dc=example,dc=com',
      people: 60,
      seed: 5,
      disabledShare: 0,
    });
    const scopeDns = [sample.groupDns.scope, ...sample.groupDns.nested];
    const expected = sample.people.filter((p) => p.groups.some((g) => scopeDns.includes(g)));
    const others = Array.from({ length: 300 }, (_, i) => ({
      user_name: `unmanaged.${i}`,
      last_name: `U${i}`,
    }));
    stack = await startStack(temporal, {
      directory: { ldif: sample.ldif, scopeGroup: sample.groupDns.scope },
      accounts: others,
      config: { servicenow: { pageSize: 20 } },
      settleTimeoutMs: 240_000,
    });
    stack.emulator.setFaults({ errorRate: 0.2, seed: 23 });

    const summary = await stack.reconcile();

    // A dispatch id of its own would mean the read failed and the activity started again.
    expect(summary.dispatchId).toBe(summary.reconcileId);
    expect(summary.serviceNowAccounts).toBeGreaterThanOrEqual(300);
    expect(summary.outcome).toEqual({ settled: expected.length, failed: 0, unsettled: 0 });
    const scan = stack.emulator
      .requestLog()
      .filter(
        (e) => e.method === 'GET' && /^(sys_id>\w+\^)?ORDERBYsys_id$/.test(e.query.sysparm_query ?? ''),
      );
    const failed = scan.filter((e) => e.fault !== undefined);
    expect(failed.length).toBeGreaterThan(0);
    for (const failure of failed) {
      expect(scan[scan.indexOf(failure) + 1]?.query.sysparm_query).toBe(failure.query.sysparm_query);
    }
    for (const person of expected) expect(stack.account(person.uid)?.active).toBe('true');
  }, 360_000);

  test('fails only the user whose value ServiceNow cannot hold, with its type in the search attributes', async () => {
    stack = await startStack(temporal);
    const s = stack;
    for (const [uid, title] of [
      ['fine', 'Engineer'],
      ['wordy', 'x'.repeat(61)],
    ] as const) {
      await addToGroup(
        s.slapd,
        'servicenow-users',
        await addPerson(s.slapd, { uid, givenName: 'Pat', sn: uid, title }),
      );
    }

    const summary = await s.reconcile();

    expect(summary.outcome).toMatchObject({ settled: 2, failed: 1 });
    expect(s.account('fine')?.active).toBe('true');
    expect(s.account('wordy')).toBeUndefined();
    const failed = await s.failedUsers();
    expect(failed).toEqual([expect.objectContaining({ userName: 'wordy' })]);
    const [wordy] = failed;
    const execution = await temporal.client.workflow.getHandle(wordy?.workflowId ?? '').describe();
    expect(execution.typedSearchAttributes.get(searchAttributes.lastError)).toBe('ServiceNowValueTooLong');
    expect(execution.typedSearchAttributes.get(searchAttributes.userName)).toBe('wordy');
  });

  test('fails only the user whose account ServiceNow forbids changing, as ServiceNowForbidden, and updates the others', async () => {
    const accounts = ['guarded', 'open'].map((uid) => ({
      user_name: uid,
      first_name: 'Pat',
      last_name: uid,
      title: 'Old',
    }));
    stack = await startStack(temporal, { accounts, emulator: { writeProtected: ['guarded'] } });
    const s = stack;
    for (const uid of ['guarded', 'open']) {
      await addToGroup(
        s.slapd,
        'servicenow-users',
        await addPerson(s.slapd, { uid, givenName: 'Pat', sn: uid, title: 'New' }),
      );
    }

    const summary = await s.reconcile();

    expect(summary.outcome).toMatchObject({ settled: 2, failed: 1 });
    expect(s.account('open')?.title).toBe('New');
    expect(s.account('guarded')?.title).toBe('Old');
    const refused = s.emulator.requestLog().filter((e) => e.status === 403);
    // Refused once, not retried: a 403 is permanent.
    expect(refused).toEqual([expect.objectContaining({ method: 'PATCH' })]);
    const query = `ProvisioningState = 'failed' AND TaskQueue = '${s.config.temporal.taskQueue}'`;
    const failedUsers = [];
    for await (const execution of temporal.client.workflow.list({ query })) failedUsers.push(execution);
    expect(failedUsers.map((e) => e.typedSearchAttributes.get(searchAttributes.lastError))).toEqual([
      'ServiceNowForbidden',
    ]);
    expect(failedUsers[0]?.typedSearchAttributes.get(searchAttributes.userName)).toBe('guarded');
  });
});
