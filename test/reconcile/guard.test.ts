import { evaluateGuard } from '../../src/reconcile/guard.js';

const limits = { maxDisables: 100, maxDisableShare: 0.2 };

describe('the deprovision guard', () => {
  test('lets a run with no disable through', () => {
    expect(evaluateGuard({ disables: 0, managedUsers: 0, usersInScope: 0, limits })).toEqual({ hold: false });
  });

  test('lets a single leaver through in a small directory, because the share rounds up', () => {
    expect(evaluateGuard({ disables: 1, managedUsers: 2, usersInScope: 1, limits })).toEqual({ hold: false });
  });

  test('holds disables above the share of managed users', () => {
    const verdict = evaluateGuard({ disables: 21, managedUsers: 100, usersInScope: 79, limits });
    expect(verdict).toEqual({
      hold: true,
      reason: '21 disables of 100 managed users exceed 20 % (20 users)',
    });
    expect(evaluateGuard({ disables: 20, managedUsers: 100, usersInScope: 80, limits })).toEqual({
      hold: false,
    });
  });

  test('holds disables above the absolute limit whatever the share', () => {
    const verdict = evaluateGuard({ disables: 101, managedUsers: 10_000, usersInScope: 9_899, limits });
    expect(verdict).toMatchObject({ hold: true, reason: '101 disables exceed the limit of 100 per run' });
  });

  test('holds even one disable when the directory shows nobody in scope while users are managed', () => {
    const verdict = evaluateGuard({ disables: 1, managedUsers: 1, usersInScope: 0, limits });
    expect(verdict).toMatchObject({ hold: true, reason: expect.stringContaining('no user in scope') });
  });
});
