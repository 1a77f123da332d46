import type { SkippedEntry } from '../directory/types.js';
import type { Comparison } from '../reconcile/compare.js';
import type { Decision } from '../reconcile/decide.js';
import { evaluateGuard, type GuardLimits } from '../reconcile/guard.js';
import type { Conflict, PlannedChange } from '../reconcile/plan.js';

/** What the next reconcile would do to one user; `retry` is a failed user sent its state again. */
export type PlanAction = Decision['kind'] | 'retry';

/** One value the next reconcile would write, with the value it replaces ('' when there is none). */
export interface PlannedWrite {
  readonly field: string;
  readonly from: string;
  readonly to: string;
}

/** One user's line of the plan. */
export interface PlanEntry {
  readonly userName: string | undefined;
  readonly directoryId: string;
  readonly action: PlanAction;
  readonly reason: string;
  /** The ServiceNow account concerned, when there is one. */
  readonly sysId: string | undefined;
  readonly writes: readonly PlannedWrite[];
}

/** The dry run's result: every user with what would happen and why, and what was read. */
export interface PlanReport {
  /** True when the next reconcile would change at least one account or retry a failed user. */
  readonly changesPending: boolean;
  readonly counts: Readonly<Record<PlanAction, number>>;
  /** Users with a change first, then the users that need nothing. */
  readonly users: readonly PlanEntry[];
  readonly conflicts: readonly Conflict[];
  readonly skipped: readonly SkippedEntry[];
  /** Set when the deprovision guard would hold this run's disables for an operator's approval. */
  readonly guard: { readonly heldDisables: number; readonly reason: string } | undefined;
  readonly read: {
    readonly directoryEntries: number;
    readonly usersInScope: number;
    readonly serviceNowAccounts: number;
    readonly managedUsers: number;
  };
}

/** Turns a comparison of both sides into the plan people and scripts read. Pure. */
export function toPlanReport(comparison: Comparison, guardLimits: GuardLimits): PlanReport {
  const { plan, directory } = comparison;
  const users = [
    ...plan.changes.map((c) => toEntry(c, true)),
    ...plan.unchanged.map((c) => toEntry(c, false)),
  ];
  const counts = { create: 0, link: 0, update: 0, enable: 0, disable: 0, retry: 0, none: 0 };
  for (const user of users) counts[user.action] += 1;

  const guard = evaluateGuard({
    disables: counts.disable,
    managedUsers: comparison.managed + plan.takenOver,
    usersInScope: directory.inScope,
    limits: guardLimits,
  });
  return {
    changesPending: plan.changes.length > 0,
    counts,
    users,
    conflicts: plan.conflicts,
    skipped: comparison.skipped,
    guard: guard.hold ? { heldDisables: counts.disable, reason: guard.reason } : undefined,
    read: {
      directoryEntries: directory.entriesRead,
      usersInScope: directory.inScope,
      serviceNowAccounts: comparison.accounts,
      managedUsers: comparison.managed,
    },
  };
}

function toEntry(change: PlannedChange, dispatched: boolean): PlanEntry {
  const { decision, desired, account } = change;
  // A user whose last attempt failed is sent its state again even when the comparison finds nothing to do.
  const retry = dispatched && decision.kind === 'none';
  return {
    userName: desired?.userName ?? account?.userName,
    directoryId: change.directoryId,
    action: retry ? 'retry' : decision.kind,
    reason: retry ? `the last attempt failed; ${decision.reason}` : decision.reason,
    sysId: account?.sysId,
    writes: writesOf(change),
  };
}

/** Every value the decision writes: the mapped fields, the user name and the active flag. */
function writesOf({ decision, desired, account }: PlannedChange): PlannedWrite[] {
  const writes: PlannedWrite[] = [];
  if (decision.kind === 'create' && desired)
    writes.push({ field: 'user_name', from: '', to: desired.userName });
  if (decision.userName && account)
    writes.push({ field: 'user_name', from: account.userName, to: decision.userName });
  writes.push(...decision.fieldChanges);
  if (decision.active !== undefined) {
    // The decision table sets `active` only where it differs from the account's, or on a create.
    const from = decision.kind === 'create' ? '' : String(!decision.active);
    writes.push({ field: 'active', from, to: String(decision.active) });
  }
  return writes;
}
