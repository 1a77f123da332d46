import { planReconcile, type Plan, type PlanInput, type PlannedChange } from './plan.js';

/** What a pass over changed users has: the full reconcile's input, for some users only. */
export interface ChangePlanInput extends PlanInput {
  /**
   * The users whose directory entry (or scope membership) changed. `desired` holds those of them in
   * scope; `managed` holds those of them the product manages, and may hold other managed users
   * (the owners of the accounts found), who are only there to tell whose an account is.
   */
  readonly changedIds: ReadonlySet<string>;
}

/** The plan for the changed users, and the disables left to a full reconcile. */
export interface ChangePlan {
  readonly plan: Plan;
  /** Disables of users whose workflow waits for an operator's verdict on a reconcile's guard. */
  readonly deferred: readonly PlannedChange[];
}

/**
 * Plans the changed users by the same decision table and plan as the full reconcile. Only changed
 * users are decided: a managed user outside `changedIds` is missing from `desired` because nobody
 * read it, not because it left the scope, so nothing is planned for it. A disable for a user whose
 * workflow awaits an operator's verdict is not sent: that decision belongs to the reconcile that
 * holds it.
 */
export function planChangedUsers(input: ChangePlanInput): ChangePlan {
  const changed = (id: string) => input.changedIds.has(id);
  const awaiting = new Set(
    input.managed.filter((m) => m.state === 'awaiting-approval').map((m) => m.directoryId),
  );
  const plan = planReconcile(input);

  const changes: PlannedChange[] = [];
  const deferred: PlannedChange[] = [];
  for (const change of plan.changes) {
    if (!changed(change.directoryId)) continue;
    if (change.decision.kind === 'disable' && awaiting.has(change.directoryId)) deferred.push(change);
    else changes.push(change);
  }
  const unchanged = plan.unchanged.filter((change) => changed(change.directoryId));
  return {
    plan: {
      changes,
      unchanged,
      inStep: unchanged.length,
      conflicts: plan.conflicts.filter((conflict) => conflict.directoryIds.some(changed)),
      takenOver: plan.takenOver,
    },
    deferred,
  };
}
