import type { Switches } from '../../src/reconcile/decide.js';
import type { DesiredUser } from '../../src/reconcile/desired-user.js';
import type { ManagedUser } from '../../src/reconcile/plan.js';
import type { ServiceNowUser } from '../../src/servicenow/types.js';

let counter = 0;
const next = (): number => (counter += 1);

export const allSwitchesOn: Switches = {
  create: true,
  update: true,
  disable: true,
  provisionDisabledUsers: false,
};

/** A directory user in scope, enabled, with a first and last name and an email. */
export function desiredUser(overrides: Partial<DesiredUser> = {}): DesiredUser {
  const n = next();
  return {
    directoryId: `dir-${n}`,
    userName: `user${n}`,
    enabled: true,
    fields: { first_name: `First${n}`, last_name: `Last${n}`, email: `user${n}@example.com` },
    ...overrides,
  };
}

/** The ServiceNow account that matches `desired` exactly. */
export function accountFor(desired: DesiredUser, overrides: Partial<ServiceNowUser> = {}): ServiceNowUser {
  return {
    sysId: `sys${desired.directoryId}`.padEnd(32, '0'),
    userName: desired.userName,
    active: desired.enabled,
    lockedOut: !desired.enabled,
    fields: { ...desired.fields },
    ...overrides,
  };
}

/** The product's record of managing `account` for `desired`. */
export function managedBy(desired: DesiredUser, account: ServiceNowUser, state = 'active'): ManagedUser {
  return { directoryId: desired.directoryId, sysId: account.sysId, state, userName: desired.userName };
}
