import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  addPerson,
  addToGroup,
  deletePerson,
  lockPerson,
  modifyPerson,
  removeFromGroup,
  unlockPerson,
} from '../helpers/directory.js';
import { eventually } from '../helpers/eventually.js';
import { startStack, type Stack, type StackOptions } from '../helpers/stack.js';
import { startTemporal, temporalCli } from '../helpers/temporal.js';
import { manualDisableSignal, searchAttributes } from '../../src/workflows/definitions.js';

const run = promisify(execFile);

let temporal: TestWorkflowEnvironment;
let stack: Stack | undefined;

beforeAll(async () => {
  temporal = await startTemporal();
});

afterAll(async () => {
  await temporal?.teardown();
});

afterEach(async () => {
  if (!stack) return;
  const seeded = ['admin', 'svc.provisioning', 'guest'].map((name) => stack!.account(name)?.sys_id);
  const writes = stack.writes();
  await stack.stop();
  stack = undefined;

  expect(writes.filter((w) => w.method === 'DELETE')).toEqual([]);
  expect(writes.filter((w) => seeded.includes(w.sysId))).toEqual([]);
});

async function given(options: StackOptions = {}): Promise<Stack> {
  stack = await startStack(temporal, options);
  return stack;
}

/** Adds a person to the directory and to the scope group. */
async function hire(s: Stack, uid: string, extra: Record<string, string> = {}): Promise<string> {
  const dn = await addPerson(s.slapd, {
    uid,
    givenName: 'Pat',
    sn: `Person-${uid}`,
    mail: `${uid}@example.com`,
    title: 'Engineer',
    ...extra,
  });
  await addToGroup(s.slapd, 'servicenow-users', dn);
  return dn;
}

const writesSince = (s: Stack, count: number) => s.writes().slice(count);

describe('the main job, end to end', () => {
  test('links an account that existed before the first run to its directory user, as one account', async () => {
    const s = await given({
      accounts: [{ user_name: 'jsmith', first_name: 'John', last_name: 'Smyth', email: 'old@example.com' }],
    });
    const before = s.account('jsmith')!;
    await hire(s, 'jsmith', { givenName: 'John', sn: 'Smith', mail: 'john.smith@example.com' });

    const summary = await s.reconcile();

    expect(summary.planned.link).toBe(1);
    expect(s.account('jsmith')).toMatchObject({
      sys_id: before.sys_id,
      first_name: 'John',
      last_name: 'Smith',
      email: 'john.smith@example.com',
      active: 'true',
    });
    expect(s.writes().filter((w) => w.method === 'POST')).toEqual([]);
  });

  test('links a directory user named JSmith to the account jsmith without a second account', async () => {
    const s = await given({ accounts: [{ user_name: 'jsmith', first_name: 'John', last_name: 'Smith' }] });
    await hire(s, 'JSmith', { givenName: 'John', sn: 'Smith' });

    await s.reconcile();

    expect(
      s.emulator.records('sys_user').filter((r) => r.user_name?.toLowerCase() === 'jsmith'),
    ).toHaveLength(1);
    expect(s.writes().filter((w) => w.method === 'POST')).toEqual([]);
  });

  test('creates a user added to the scope group, active, with its mapped fields', async () => {
    const s = await given();
    await s.reconcile();
    await hire(s, 'anew', { givenName: 'Ada', sn: 'Newcomer', mail: 'ada@example.com', title: 'Analyst' });

    const summary = await s.reconcile();

    expect(summary.planned.create).toBe(1);
    expect(s.account('anew')).toMatchObject({
      first_name: 'Ada',
      last_name: 'Newcomer',
      email: 'ada@example.com',
      title: 'Analyst',
      active: 'true',
    });
  });

  test('does not create a disabled user by default', async () => {
    const s = await given();
    const dn = await hire(s, 'dormant');
    await lockPerson(s.slapd, 'dormant');

    await s.reconcile();

    expect(dn).toContain('dormant');
    expect(s.account('dormant')).toBeUndefined();
    expect(s.writes()).toEqual([]);
  });

  test('creates a disabled user inactive when provisioning disabled users is on', async () => {
    const s = await given({ config: { switches: { provisionDisabledUsers: true } } });
    await hire(s, 'dormant');
    await lockPerson(s.slapd, 'dormant');

    await s.reconcile();

    expect(s.account('dormant')).toMatchObject({ active: 'false' });
  });

  test('writes a changed mapped attribute, and nothing at all for a changed unmapped one', async () => {
    const s = await given();
    await hire(s, 'mover', { title: 'Engineer' });
    await s.reconcile();
    const created = s.account('mover')!;

    await modifyPerson(s.slapd, 'mover', { description: 'now on the third floor' });
    const quietWrites = s.writes().length;
    await s.reconcile();
    expect(writesSince(s, quietWrites)).toEqual([]);
    expect(s.account('mover')!.sys_mod_count).toBe(created.sys_mod_count);

    await modifyPerson(s.slapd, 'mover', { title: 'Principal Engineer' });
    await s.reconcile();
    expect(s.account('mover')).toMatchObject({ title: 'Principal Engineer', sys_id: created.sys_id });
    expect(Number(s.account('mover')!.sys_mod_count)).toBe(Number(created.sys_mod_count) + 1);
  });

  test.each([
    ['deleted from the directory', (s: Stack, _dn: string) => deletePerson(s.slapd, 'leaver')],
    ['disabled in the directory', (s: Stack, _dn: string) => lockPerson(s.slapd, 'leaver')],
    [
      'removed from the scope group',
      (s: Stack, dn: string) => removeFromGroup(s.slapd, 'servicenow-users', dn),
    ],
    [
      'excluded by a filter change',
      (s: Stack, _dn: string) => s.reconfigure({ directory: { filter: '(!(uid=leaver))' } }),
    ],
  ])('disables, and never deletes, the account of a user %s', async (_case, leave) => {
    const s = await given();
    const dn = await hire(s, 'leaver');
    await hire(s, 'stayer');
    await s.reconcile();
    const accounts = s.emulator.records('sys_user').length;

    await leave(s, dn);
    const summary = await s.reconcile();

    expect(summary.planned.disable).toBe(1);
    expect(s.account('leaver')).toMatchObject({ active: 'false', locked_out: 'true' });
    expect(s.account('stayer')).toMatchObject({ active: 'true' });
    expect(s.emulator.records('sys_user')).toHaveLength(accounts);
  });

  test('enables the account again when the user is enabled again in the directory', async () => {
    const s = await given();
    await hire(s, 'returner');
    await s.reconcile();
    await lockPerson(s.slapd, 'returner');
    await s.reconcile();
    expect(s.account('returner')).toMatchObject({ active: 'false' });

    await unlockPerson(s.slapd, 'returner');
    await s.reconcile();

    expect(s.account('returner')).toMatchObject({ active: 'true', locked_out: 'false' });
  });

  test('sends no write at all on a second reconcile with no directory change', async () => {
    const s = await given({ accounts: [{ user_name: 'existing', first_name: 'Old', last_name: 'Name' }] });
    await hire(s, 'existing');
    await hire(s, 'fresh');
    await s.reconcile();
    const writes = s.writes().length;

    const second = await s.reconcile();

    expect(writesSince(s, writes)).toEqual([]);
    expect(second.dispatched).toBe(0);
    expect(second.inStep).toBe(2);
  });

  test('a manual disable sent with the Temporal CLI holds the account disabled until released', async () => {
    const s = await given();
    await hire(s, 'suspect');
    await s.reconcile();
    const cli = (...args: string[]) =>
      run(temporalCli, [...args, '--address', temporal.address], { encoding: 'utf8' });

    const workflowId = await eventually(async () => {
      const { stdout } = await cli(
        'workflow',
        'list',
        '--query',
        `ProvisioningUserName = 'suspect'`,
        '--output',
        'json',
      );
      const [execution] = JSON.parse(stdout) as Array<{ execution: { workflowId: string } }>;
      if (!execution) throw new Error('the user workflow is not visible yet');
      return execution.execution.workflowId;
    });
    await cli(
      'workflow',
      'signal',
      '--workflow-id',
      workflowId,
      '--name',
      'manualDisable',
      '--input',
      '{"reason":"security review"}',
    );
    await eventually(() => expect(s.account('suspect')).toMatchObject({ active: 'false' }));

    await s.reconcile();
    expect(s.account('suspect')).toMatchObject({ active: 'false' });

    await cli('workflow', 'signal', '--workflow-id', workflowId, '--name', 'release');
    await eventually(() => expect(s.account('suspect')).toMatchObject({ active: 'true' }));
  });
});

describe('each user’s state in its search attributes', () => {
  /** The search attributes of the user workflow of `userName`, once visibility shows `state`. */
  async function attributesOf(s: Stack, userName: string, state: string) {
    const query =
      `ProvisioningUserName = '${userName}' AND ProvisioningState = '${state}' ` +
      `AND TaskQueue = '${s.config.temporal.taskQueue}'`;
    return eventually(async () => {
      for await (const execution of temporal.client.workflow.list({ query })) {
        const get = (key: (typeof searchAttributes)[keyof typeof searchAttributes]) =>
          execution.typedSearchAttributes.get(key);
        return {
          workflowId: execution.workflowId,
          state: get(searchAttributes.state),
          lastAction: get(searchAttributes.lastAction),
          sysId: get(searchAttributes.sysId),
          lastError: get(searchAttributes.lastError),
        };
      }
      throw new Error(`${userName} is not ${state} in visibility yet`);
    });
  }

  test('show active after a create, disabled after a disable and held under a manual disable, with the sys_id', async () => {
    const s = await given({ accounts: [{ user_name: 'old', first_name: 'O', last_name: 'Ld' }] });
    for (const uid of ['new', 'old', 'quits', 'suspect']) await hire(s, uid);
    await s.reconcile();
    await lockPerson(s.slapd, 'quits');
    await s.reconcile();
    const suspect = await attributesOf(s, 'suspect', 'active');
    const held = temporal.client.workflow.getHandle(suspect.workflowId);
    await held.signal(manualDisableSignal, { reason: 'security review' });

    expect(await attributesOf(s, 'new', 'active')).toEqual({
      workflowId: expect.stringMatching(/^user-/),
      state: 'active',
      lastAction: 'create',
      sysId: s.account('new')?.sys_id,
      lastError: undefined,
    });
    expect(await attributesOf(s, 'old', 'active')).toMatchObject({
      lastAction: 'link',
      sysId: s.account('old')?.sys_id,
    });
    expect(await attributesOf(s, 'quits', 'disabled')).toMatchObject({
      lastAction: 'disable',
      sysId: s.account('quits')?.sys_id,
    });
    expect(await attributesOf(s, 'suspect', 'held')).toMatchObject({
      lastAction: 'disable',
      sysId: suspect.sysId,
    });
  });
});
