import { normaliseUserName } from '../servicenow/records.js';
import type { ServiceNowUser } from '../servicenow/types.js';
import { decide, type Decision, type Switches } from './decide.js';
import type { DesiredUser } from './desired-user.js';

/** What the product already knows about a user it has a workflow for (read from Temporal visibility). */
export interface ManagedUser {
  readonly directoryId: string;
  readonly sysId: string | undefined;
  readonly state: string | undefined;
  readonly userName: string | undefined;
}

/** A user whose account needs a change, or whose workflow must be told something. */
export interface PlannedChange {
  readonly directoryId: string;
  /** Null when the user is no longer in scope. */
  readonly desired: DesiredUser | null;
  readonly decision: Decision;
  readonly account: { readonly sysId: string; readonly userName: string } | undefined;
}

/** Users the product must not touch until a person resolves the ambiguity. */
export interface Conflict {
  readonly userName: string;
  readonly directoryIds: readonly string[];
  readonly reason: string;
}

export interface Plan {
  readonly changes: readonly PlannedChange[];
  readonly conflicts: readonly Conflict[];
  /** Users in scope (or managed) whose account needs nothing. */
  readonly inStep: number;
  /**
   * Those users, each with the decision that says why nothing is needed (the dry run lists them);
   * empty when the input did not ask for them.
   */
  readonly unchanged: readonly PlannedChange[];
  /**
   * Existing accounts this plan brings under management (links, and disables of matched accounts of
   * users disabled in the directory): with the managed users, the accounts the guard's share is of.
   */
  readonly takenOver: number;
}

export interface PlanInput {
  readonly desired: readonly DesiredUser[];
  readonly accounts: readonly ServiceNowUser[];
  readonly managed: readonly ManagedUser[];
  readonly switches: Switches;
  /** Keep the in-step users in `unchanged`; when false they are only counted. Default true. */
  readonly listUnchanged?: boolean;
}

/**
 * Compares the directory's desired state with ServiceNow and with what the product manages, user by
 * user, by the decision table. Pure, so the reconciler and the dry-run plan share it exactly.
 */
export function planReconcile(input: PlanInput): Plan {
  const accounts = indexAccounts(input.accounts);
  const managed = new Map(input.managed.map((m) => [m.directoryId, m]));
  const owners = new Map(input.managed.flatMap((m) => (m.sysId ? [[m.sysId, m.directoryId] as const] : [])));
  const { unique, conflicts } = dropDuplicateNames(input.desired);

  const changes: PlannedChange[] = [];
  const unchanged: PlannedChange[] = [];
  const listUnchanged = input.listUnchanged ?? true;
  let inStep = 0;
  let takenOver = 0;
  const consider = (change: PlannedChange, retry: boolean): void => {
    if (change.decision.kind !== 'none' || retry) changes.push(change);
    else {
      inStep += 1;
      if (listUnchanged) unchanged.push(change);
    }
  };

  for (const desired of unique) {
    const mine = managed.get(desired.directoryId);
    const linked = mine?.sysId ? accounts.bySysId.get(mine.sysId) : undefined;
    const candidates = linked ? [linked] : (accounts.byName.get(normaliseUserName(desired.userName)) ?? []);

    if (candidates.length > 1) {
      conflicts.push({
        userName: desired.userName,
        directoryIds: [desired.directoryId],
        reason: `${candidates.length} ServiceNow accounts have this user_name`,
      });
      continue;
    }
    const account = candidates[0];
    const owner = account ? owners.get(account.sysId) : undefined;
    if (account && owner !== undefined && owner !== desired.directoryId) {
      conflicts.push({
        userName: desired.userName,
        directoryIds: [desired.directoryId, owner],
        reason: 'the matching account is linked to another directory entry',
      });
      continue;
    }

    const decision = decide({
      desired,
      account,
      managed: linked !== undefined,
      held: mine?.state === 'held',
      switches: input.switches,
    });
    if (account && linked === undefined && decision.kind !== 'none') takenOver += 1;
    consider(
      { directoryId: desired.directoryId, desired, decision, account: account && summary(account) },
      mine?.state === 'failed',
    );
  }

  const inScope = new Set(unique.map((d) => d.directoryId));
  const conflicted = new Set(conflicts.flatMap((c) => c.directoryIds));
  for (const mine of input.managed) {
    if (inScope.has(mine.directoryId) || conflicted.has(mine.directoryId)) continue;
    const account = mine.sysId ? accounts.bySysId.get(mine.sysId) : undefined;
    const decision = decide({
      desired: undefined,
      account,
      managed: account !== undefined,
      held: mine.state === 'held',
      switches: input.switches,
    });
    consider(
      { directoryId: mine.directoryId, desired: null, decision, account: account && summary(account) },
      mine.state === 'failed',
    );
  }

  return { changes, conflicts, inStep, unchanged, takenOver };
}

function summary(account: ServiceNowUser): { sysId: string; userName: string } {
  return { sysId: account.sysId, userName: account.userName };
}

function indexAccounts(accounts: readonly ServiceNowUser[]) {
  const bySysId = new Map<string, ServiceNowUser>();
  const byName = new Map<string, ServiceNowUser[]>();
  for (const account of accounts) {
    bySysId.set(account.sysId, account);
    const key = normaliseUserName(account.userName);
    const list = byName.get(key);
    if (list) list.push(account);
    else byName.set(key, [account]);
  }
  return { bySysId, byName };
}

/** Two directory entries that would share one ServiceNow user_name: neither may be acted on. */
function dropDuplicateNames(desired: readonly DesiredUser[]): {
  unique: DesiredUser[];
  conflicts: Conflict[];
} {
  const byName = new Map<string, DesiredUser[]>();
  for (const d of desired) {
    const key = normaliseUserName(d.userName);
    const list = byName.get(key);
    if (list) list.push(d);
    else byName.set(key, [d]);
  }

  const unique: DesiredUser[] = [];
  const conflicts: Conflict[] = [];
  for (const list of byName.values()) {
    if (list.length === 1) unique.push(list[0]!);
    else
      conflicts.push({
        userName: list[0]!.userName,
        directoryIds: list.map((d) => d.directoryId),
        reason: 'several directory entries have this user name',
      });
  }
  return { unique, conflicts };
}
