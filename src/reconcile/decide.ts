import type { ServiceNowUser } from '../servicenow/types.js';
import type { DesiredUser } from './desired-user.js';

/** The operator's switches: which kinds of write the product may make. */
export interface Switches {
  readonly create: boolean;
  readonly update: boolean;
  readonly disable: boolean;
  readonly provisionDisabledUsers: boolean;
}

/** One mapped field whose ServiceNow value differs from the directory's. */
export interface FieldChange {
  readonly field: string;
  readonly from: string;
  readonly to: string;
}

/** What to do with one account. `kind` names the decision; the other members say what to write. */
export interface Decision {
  readonly kind: 'create' | 'link' | 'update' | 'disable' | 'enable' | 'none';
  /** Why, in a few words an operator understands. */
  readonly reason: string;
  /** The `active` value to write, or undefined to leave it. */
  readonly active?: boolean;
  /** A new user_name for a renamed user (managed accounts only). */
  readonly userName?: string;
  readonly fieldChanges: readonly FieldChange[];
}

/** Everything the decision needs about one person, from both sides and from the product's own record. */
export interface DecisionInput {
  /** The desired state; undefined when the user is not in scope (deleted, disabled out of the filter, left the group). */
  readonly desired: DesiredUser | undefined;
  /** The account linked to this user, or else the one whose user_name matches; undefined when there is none. */
  readonly account: ServiceNowUser | undefined;
  /** True when `account` is the one this user's workflow linked or created before. */
  readonly managed: boolean;
  /** True while an operator's manual disable holds the account. */
  readonly held: boolean;
  readonly switches: Switches;
}

const nothing = (reason: string): Decision => ({ kind: 'none', reason, fieldChanges: [] });

/**
 * The decision table of the product reference, as one pure function. Both the reconciler (to know
 * whom to signal) and the user's own workflow (to act on fresh data) call it, so they cannot disagree.
 */
export function decide(input: DecisionInput): Decision {
  const { desired, account, managed, held, switches } = input;

  if (held) {
    if (account && (managed || desired) && account.active) {
      return { kind: 'disable', reason: 'held by an operator', active: false, fieldChanges: [] };
    }
    return nothing('held by an operator');
  }

  if (!desired) {
    if (!account || !managed) return nothing('not in scope and not managed');
    if (!account.active) return nothing('not in scope, already disabled');
    if (!switches.disable) return nothing('not in scope, but disabling is switched off');
    // The directory cannot tell a person who left the group or filter from an entry deleted outright.
    return { kind: 'disable', reason: 'no longer in scope', active: false, fieldChanges: [] };
  }

  if (!account) {
    if (!switches.create) return nothing('no account, and creating is switched off');
    if (!desired.enabled && !switches.provisionDisabledUsers)
      return nothing('disabled in the directory; not provisioned');
    return {
      kind: 'create',
      reason: desired.enabled ? 'entered the scope' : 'entered the scope disabled',
      active: desired.enabled,
      fieldChanges: Object.entries(desired.fields).map(([field, to]) => ({ field, from: '', to })),
    };
  }

  return desired.enabled
    ? decideEnabled(desired, account, managed, switches)
    : decideDisabled(desired, account, managed, switches);
}

function decideEnabled(
  desired: DesiredUser,
  account: ServiceNowUser,
  managed: boolean,
  switches: Switches,
): Decision {
  const fieldChanges = switches.update ? diffFields(desired, account) : [];
  const userName = managed && switches.update ? renamedTo(desired, account) : undefined;
  const activate = !account.active && (switches.update || !managed);

  if (!managed) {
    return {
      kind: 'link',
      reason: 'matching account found',
      active: activate ? true : undefined,
      fieldChanges,
    };
  }
  if (activate) {
    // Also after a release, or when someone deactivated the account in ServiceNow by hand.
    return {
      kind: 'enable',
      reason: 'enabled in the directory, inactive in ServiceNow',
      active: true,
      userName,
      fieldChanges,
    };
  }
  if (fieldChanges.length > 0 || userName) {
    return {
      kind: 'update',
      reason: userName ? 'renamed in the directory' : 'mapped attributes changed',
      userName,
      fieldChanges,
    };
  }
  return nothing('in step');
}

function decideDisabled(
  desired: DesiredUser,
  account: ServiceNowUser,
  managed: boolean,
  switches: Switches,
): Decision {
  if (account.active) {
    if (!switches.disable) return nothing('disabled in the directory, but disabling is switched off');
    // A matched account becomes managed by this decision, so its fields are brought in line too.
    const fieldChanges = switches.update ? diffFields(desired, account) : [];
    return { kind: 'disable', reason: 'disabled in the directory', active: false, fieldChanges };
  }
  if (!managed) return nothing('disabled in the directory; account already inactive');

  const fieldChanges = switches.update ? diffFields(desired, account) : [];
  const userName = switches.update ? renamedTo(desired, account) : undefined;
  if (fieldChanges.length > 0 || userName) {
    return { kind: 'update', reason: 'mapped attributes changed', userName, fieldChanges };
  }
  return nothing('disabled, in step');
}

/** Mapped fields whose values differ. ServiceNow returns '' for an empty field, as the mapping does. */
export function diffFields(desired: DesiredUser, account: ServiceNowUser): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [field, to] of Object.entries(desired.fields)) {
    const from = account.fields[field] ?? '';
    if (from !== to) changes.push({ field, from, to });
  }
  return changes;
}

/**
 * ServiceNow compares user names without regard to case, so a difference of case alone is not a
 * rename: writing it would only churn the account.
 */
function renamedTo(desired: DesiredUser, account: ServiceNowUser): string | undefined {
  return desired.userName.toLowerCase() === account.userName.toLowerCase() ? undefined : desired.userName;
}
