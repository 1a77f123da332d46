import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  addOrganizationalUnit,
  addPerson,
  addToGroup,
  lockPerson,
  removeFromGroup,
} from '../helpers/directory.js';
import { eventually } from '../helpers/eventually.js';
import { startStack, type Stack, type StackOptions } from '../helpers/stack.js';
import { startTemporal } from '../helpers/temporal.js';
import {
  approveDisablesSignal,
  reconcileProgressQuery,
  rejectDisablesSignal,
  searchAttributes,
} from '../../src/workflows/definitions.js';

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

async function given(options: StackOptions = {}): Promise<Stack> {
  stack = await startStack(temporal, options);
  return stack;
}

async function hire(s: Stack, uid: string, parentDn?: string): Promise<string> {
  const dn = await addPerson(s.slapd, { uid, givenName: 'Pat', sn: uid }, parentDn);
  await addToGroup(s.slapd, 'servicenow-users', dn);
  return dn;
}

/** Five managed users, three of whom then leave the scope group: 60 % of them, above the 20 % limit. */
async function threeOfFiveLeave(s: Stack): Promise<string[]> {
  const dns = [];
  for (const uid of ['u1', 'u2', 'u3', 'u4', 'u5']) dns.push(await hire(s, uid));
  await s.reconcile();
  for (const dn of dns.slice(0, 3)) await removeFromGroup(s.slapd, 'servicenow-users', dn);
  return ['u1', 'u2', 'u3'];
}

const activeOf = (s: Stack, uids: string[]) => uids.map((uid) => s.account(uid)?.active);

describe('the deprovision guard, end to end', () => {
  test('holds a mass disable until an operator approves, then disables exactly the held users', async () => {
    const s = await given();
    const leavers = await threeOfFiveLeave(s);

    const run = await s.startReconcile();
    await eventually(async () =>
      expect((await run.query(reconcileProgressQuery)).stage).toBe('awaiting-approval'),
    );
    const described = await run.describe();
    expect(described.typedSearchAttributes.get(searchAttributes.state)).toBe('awaiting-approval');
    const awaiting = await eventually(async () => {
      const { count } = await temporal.client.workflow.count(
        `ProvisioningState = 'awaiting-approval' AND WorkflowType = 'userLifecycleWorkflow'`,
      );
      expect(count).toBe(3);
      return count;
    });
    expect(awaiting).toBe(3);
    expect(activeOf(s, leavers)).toEqual(['true', 'true', 'true']);

    await run.signal(approveDisablesSignal, { by: 'operator' });
    const summary = await run.result();

    expect(summary.guard).toMatchObject({ held: 3, verdict: 'approved', by: 'operator', delivered: 3 });
    expect(activeOf(s, leavers)).toEqual(['false', 'false', 'false']);
    expect(activeOf(s, ['u4', 'u5'])).toEqual(['true', 'true']);
  });

  test('keeps every account active when the operator rejects the held disables', async () => {
    const s = await given();
    const leavers = await threeOfFiveLeave(s);

    const run = await s.startReconcile();
    await eventually(async () =>
      expect((await run.query(reconcileProgressQuery)).stage).toBe('awaiting-approval'),
    );
    await run.signal(rejectDisablesSignal);
    const summary = await run.result();

    expect(summary.guard).toMatchObject({ held: 3, verdict: 'rejected' });
    expect(activeOf(s, leavers)).toEqual(['true', 'true', 'true']);
    const { count } = await temporal.client.workflow.count(
      `ProvisioningState = 'awaiting-approval' AND WorkflowType = 'userLifecycleWorkflow'`,
    );
    expect(count).toBe(0);
  });

  test('holds even a single disable when the directory shows nobody in scope', async () => {
    const s = await given({ config: { reconcile: { guard: { maxDisables: 1000, maxDisableShare: 1 } } } });
    const dn = await hire(s, 'only');
    await s.reconcile();
    await removeFromGroup(s.slapd, 'servicenow-users', dn);

    const run = await s.startReconcile();
    await eventually(async () =>
      expect((await run.query(reconcileProgressQuery)).stage).toBe('awaiting-approval'),
    );
    expect(s.account('only')?.active).toBe('true');
    await run.signal(rejectDisablesSignal);
    expect((await run.result()).guardReason).toMatch(/no user in scope/);
  });

  test('lets a first reconcile disable the matched account of a directory-disabled user without asking', async () => {
    // Nobody is managed yet; ten accounts exist and are linked by this run, one of them for a locked user.
    const uids = Array.from({ length: 10 }, (_, i) => `old${i}`);
    const s = await given({
      accounts: uids.map((uid) => ({ user_name: uid, first_name: 'Pat', last_name: uid })),
    });
    for (const uid of uids) await hire(s, uid);
    await lockPerson(s.slapd, 'old0');

    const summary = await s.reconcile();

    expect(summary).toMatchObject({ planned: { link: 9, disable: 1 }, heldDisables: 0 });
    expect(activeOf(s, uids)).toEqual(['false', ...uids.slice(1).map(() => 'true')]);
  });

  test('lets an ordinary leaver through without asking', async () => {
    const s = await given();
    const dns = [];
    for (const uid of ['a1', 'a2', 'a3', 'a4', 'a5', 'a6']) dns.push(await hire(s, uid));
    await s.reconcile();
    await removeFromGroup(s.slapd, 'servicenow-users', dns[0]!);

    const summary = await s.reconcile();

    expect(summary.heldDisables).toBe(0);
    expect(s.account('a1')?.active).toBe('false');
  });
});

describe('conflicts, end to end', () => {
  test('changes neither of two directory users who map to one user name, and reports both', async () => {
    const s = await given({ accounts: [{ user_name: 'pat', first_name: 'Untouched' }] });
    const contractors = await addOrganizationalUnit(s.slapd, 'contractors', s.slapd.peopleDn);
    await hire(s, 'pat');
    await hire(s, 'PAT', contractors);

    const summary = await s.reconcile();

    expect(summary.conflicts).toBe(1);
    expect(summary.conflictList[0]?.directoryIds).toHaveLength(2);
    expect(s.account('pat')?.first_name).toBe('Untouched');
    expect(s.writes()).toEqual([]);
  });

  test('touches neither of two ServiceNow accounts that share a user name, and reports them', async () => {
    const s = await given({
      accounts: [
        { user_name: 'dup', title: 'One' },
        { user_name: 'dup ', title: 'Two' },
      ],
    });
    await hire(s, 'dup');

    const summary = await s.reconcile();

    expect(summary.conflicts).toBe(1);
    expect(summary.conflictList[0]?.reason).toMatch(/2 ServiceNow accounts/);
    expect(s.writes()).toEqual([]);
  });

  test('skips and reports a directory user with no value to match, without retrying it', async () => {
    const s = await given({ config: { mapping: { userName: 'employeeNumber' } } });
    await hire(s, 'nonumber');

    const first = await s.reconcile();
    const second = await s.reconcile();

    for (const summary of [first, second]) {
      expect(summary.skippedEntries).toEqual([
        expect.objectContaining({ reason: expect.stringContaining('employeeNumber') }),
      ]);
      expect(summary.dispatched).toBe(0);
    }
    expect(s.writes()).toEqual([]);
  });
});
