import { planReconcile, type PlanInput } from '../../src/reconcile/plan.js';
import { accountFor, allSwitchesOn, desiredUser, managedBy } from '../helpers/factories.js';

const plan = (overrides: Partial<PlanInput>) =>
  planReconcile({ desired: [], accounts: [], managed: [], switches: allSwitchesOn, ...overrides });

describe('planning a reconcile', () => {
  test('plans nothing when every managed account is in step', () => {
    const users = [desiredUser(), desiredUser()];
    const accounts = users.map((u) => accountFor(u));
    const result = plan({
      desired: users,
      accounts,
      managed: users.map((u, i) => managedBy(u, accounts[i]!)),
    });
    expect(result).toMatchObject({ changes: [], conflicts: [], inStep: 2 });
    expect(result.unchanged.map((c) => c.decision.reason)).toEqual(['in step', 'in step']);
  });

  test('only counts the users in step when it is not asked to list them, and plans the rest alike', () => {
    const inStep = [desiredUser(), desiredUser()];
    const accounts = inStep.map((u) => accountFor(u));
    const managed = inStep.map((u, i) => managedBy(u, accounts[i]!));
    const hire = desiredUser();
    const input = { desired: [...inStep, hire], accounts, managed };

    const counted = plan({ ...input, listUnchanged: false });
    const listed = plan(input);
    expect(counted).toMatchObject({ inStep: 2, unchanged: [] });
    expect(listed.unchanged).toHaveLength(2);
    expect(counted.changes).toEqual(listed.changes);
    expect(counted.changes.map((c) => c.decision.kind)).toEqual(['create']);
  });

  test('matches a directory user to an existing account case-insensitively', () => {
    const desired = desiredUser({ userName: 'JSmith' });
    const account = accountFor(desired, { userName: 'jsmith' });
    const result = plan({ desired: [desired], accounts: [account] });
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0]).toMatchObject({
      decision: { kind: 'link' },
      account: { sysId: account.sysId },
    });
  });

  test('finds a renamed managed user through its linked account, not by the new name', () => {
    const before = desiredUser({ userName: 'jdoe' });
    const account = accountFor(before);
    const after = { ...before, userName: 'jsmith' };
    const result = plan({ desired: [after], accounts: [account], managed: [managedBy(before, account)] });
    expect(result.changes[0]).toMatchObject({ decision: { kind: 'update', userName: 'jsmith' } });
  });

  test('disables managed users who are no longer in scope and ignores unmanaged ones', () => {
    const leaver = desiredUser();
    const leaverAccount = accountFor(leaver);
    const stranger = accountFor(desiredUser());
    const result = plan({ accounts: [leaverAccount, stranger], managed: [managedBy(leaver, leaverAccount)] });
    expect(result.changes).toEqual([
      expect.objectContaining({
        directoryId: leaver.directoryId,
        desired: null,
        decision: expect.objectContaining({ kind: 'disable' }),
      }),
    ]);
  });

  test('reports two directory users with one user name as a conflict and acts on neither', () => {
    const a = desiredUser({ userName: 'pat' });
    const b = desiredUser({ userName: 'PAT' });
    const result = plan({ desired: [a, b] });
    expect(result.changes).toEqual([]);
    expect(result.conflicts).toEqual([
      expect.objectContaining({ directoryIds: [a.directoryId, b.directoryId] }),
    ]);
  });

  test('reports two ServiceNow accounts with one user name as a conflict', () => {
    const desired = desiredUser({ userName: 'pat' });
    const result = plan({
      desired: [desired],
      accounts: [accountFor(desired), accountFor(desired, { sysId: 'f'.repeat(32), userName: 'Pat' })],
    });
    expect(result.changes).toEqual([]);
    expect(result.conflicts).toHaveLength(1);
  });

  test('does not link an account already linked to another directory entry', () => {
    const owner = desiredUser({ userName: 'pat' });
    const account = accountFor(owner);
    const newcomer = desiredUser({ userName: 'pat2' });
    const renamedOwner = { ...owner, userName: 'patricia' };
    const result = plan({
      desired: [renamedOwner, { ...newcomer, userName: 'pat' }],
      accounts: [account],
      managed: [managedBy(owner, account)],
    });
    expect(result.conflicts).toEqual([
      expect.objectContaining({ directoryIds: [newcomer.directoryId, owner.directoryId] }),
    ]);
  });

  test('counts the existing accounts it links or disables for the first time as taken over', () => {
    const joiner = desiredUser();
    const disabled = desiredUser({ enabled: false });
    const known = desiredUser({ enabled: false });
    const active = { active: true, lockedOut: false };
    const knownAccount = accountFor(known, active);
    const result = plan({
      desired: [joiner, disabled, known, desiredUser()],
      accounts: [accountFor(joiner), accountFor(disabled, active), knownAccount],
      managed: [managedBy(known, knownAccount)],
    });
    expect(result.changes.map((c) => c.decision.kind)).toEqual(['link', 'disable', 'disable', 'create']);
    expect(result.takenOver).toBe(2);
  });

  test('dispatches a failed user again even when its account looks in step', () => {
    const desired = desiredUser();
    const account = accountFor(desired);
    const result = plan({
      desired: [desired],
      accounts: [account],
      managed: [managedBy(desired, account, 'failed')],
    });
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0]?.decision.kind).toBe('none');
  });
});
