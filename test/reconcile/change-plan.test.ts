import { planChangedUsers, type ChangePlanInput } from '../../src/reconcile/change-plan.js';
import { accountFor, allSwitchesOn, desiredUser, managedBy } from '../helpers/factories.js';

const plan = (overrides: Partial<ChangePlanInput>) =>
  planChangedUsers({
    desired: [],
    accounts: [],
    managed: [],
    switches: allSwitchesOn,
    changedIds: new Set(),
    ...overrides,
  });

describe('planning the changed users only', () => {
  test('updates a changed user and plans nothing for a managed user nobody read', () => {
    const changed = desiredUser();
    const unread = desiredUser();
    const changedAccount = accountFor(changed, { fields: { ...changed.fields, first_name: 'Old' } });
    const unreadAccount = accountFor(unread);
    const result = plan({
      desired: [changed],
      accounts: [changedAccount, unreadAccount],
      managed: [managedBy(changed, changedAccount), managedBy(unread, unreadAccount)],
      changedIds: new Set([changed.directoryId]),
    });

    expect(result.plan.changes.map((c) => [c.directoryId, c.decision.kind])).toEqual([
      [changed.directoryId, 'update'],
    ]);
  });

  test('disables a changed user who left the scope', () => {
    const leaver = desiredUser();
    const account = accountFor(leaver);
    const result = plan({
      accounts: [account],
      managed: [managedBy(leaver, account)],
      changedIds: new Set([leaver.directoryId]),
    });

    expect(result.plan.changes.map((c) => c.decision.kind)).toEqual(['disable']);
    expect(result.deferred).toEqual([]);
  });

  test('leaves the disable of a user awaiting an operator’s verdict to the reconcile that holds it', () => {
    const leaver = desiredUser();
    const account = accountFor(leaver);
    const result = plan({
      accounts: [account],
      managed: [managedBy(leaver, account, 'awaiting-approval')],
      changedIds: new Set([leaver.directoryId]),
    });

    expect(result.plan.changes).toEqual([]);
    expect(result.deferred.map((c) => c.directoryId)).toEqual([leaver.directoryId]);
  });

  test('reports a conflict with an account another directory entry owns', () => {
    const owner = desiredUser({ userName: 'shared' });
    const newcomer = desiredUser({ userName: 'shared' });
    const account = accountFor(owner);
    const result = plan({
      desired: [newcomer],
      accounts: [account],
      managed: [managedBy(owner, account)],
      changedIds: new Set([newcomer.directoryId]),
    });

    expect(result.plan.changes).toEqual([]);
    expect(result.plan.conflicts).toEqual([
      expect.objectContaining({ directoryIds: [newcomer.directoryId, owner.directoryId] }),
    ]);
  });
});
