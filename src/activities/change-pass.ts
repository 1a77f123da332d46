import { WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import type { Config } from '../config/load.js';
import type { ChangeBatch } from '../directory/change-feed.js';
import type { Logger } from '../log.js';
import { planChangedUsers } from '../reconcile/change-plan.js';
import { toDesiredUser, type DesiredUser } from '../reconcile/desired-user.js';
import { evaluateGuard } from '../reconcile/guard.js';
import type { ServiceNowClient } from '../servicenow/client.js';
import { durationMs } from '../temporal/schedule.js';
import type { reconcileWorkflow } from '../workflows/reconcile.js';
import { readChangedUsersSides } from './changed-users.js';
import { dispatchChanges } from './dispatch.js';

/** Above this many changed users in one pass, a full reconcile reads both sides faster than lookups. */
export const maxUsersPerPass = 1000;

export interface ChangePassDeps {
  readonly config: Config;
  readonly serviceNow: ServiceNowClient;
  readonly temporal: Client;
  readonly log: Logger;
}

/** What one pass did, in counts. */
export interface ChangePassOutcome {
  readonly dispatched: number;
  readonly conflicts: number;
  readonly heldDisables: number;
  readonly fullReconcile: boolean;
  /** Disables sent, for the guard's count of recent ones. */
  readonly disables: number;
}

/**
 * Brings the changed users of one batch in line, the way a reconcile does for everyone: desired
 * states by the mapping, the plan by the decision table for these users only, then the same
 * signal-with-start as the reconciler. Conflicts are logged and left alone. Disables go through
 * the deprovision guard, counting those sent recently (`recentDisables`) so that leavers removed
 * one at a time add up: when it would hold them, none is sent and a full reconcile, which asks an
 * operator, is started instead. A disable of a user whose workflow waits for an operator's verdict
 * on a reconcile is not sent either: that reconcile delivers the verdict.
 */
export async function passChanges(
  deps: ChangePassDeps,
  batch: ChangeBatch,
  pass: { readonly reconcileId: string; readonly recentDisables: number },
): Promise<ChangePassOutcome> {
  const { config, log } = deps;
  const desired: DesiredUser[] = [];
  for (const user of batch.inScope) {
    const result = toDesiredUser(user, config.mapping);
    if (result.ok) desired.push(result.user);
    else log.warn({ dn: user.dn, reason: result.reason }, 'changed directory entry skipped');
  }
  for (const { dn, reason } of batch.skipped) log.warn({ dn, reason }, 'changed directory entry skipped');

  const changedIds = new Set([...desired.map((d) => d.directoryId), ...batch.outOfScope]);
  const none = { dispatched: 0, conflicts: 0, heldDisables: 0, disables: 0 };
  if (changedIds.size > maxUsersPerPass) {
    await startFullReconcile(deps, `${changedIds.size} users changed at once`);
    return { ...none, fullReconcile: true };
  }
  if (batch.needsFullReconcile) await startFullReconcile(deps, batch.needsFullReconcile);
  const fullReconcile = batch.needsFullReconcile !== undefined;
  if (changedIds.size === 0) return { ...none, fullReconcile };

  const { taskQueue } = config.temporal;
  const fields = Object.keys(config.mapping.fields);
  const sides = await readChangedUsersSides({ ...deps, taskQueue }, [...changedIds], desired, fields);
  const { plan, deferred } = planChangedUsers({ ...sides, desired, changedIds, switches: config.switches });
  if (deferred.length > 0)
    log.info({ disables: deferred.length }, 'disables left to the reconcile awaiting approval');
  for (const conflict of plan.conflicts) {
    log.warn({ directoryIds: conflict.directoryIds, reason: conflict.reason }, 'conflict left alone');
  }

  const disables = plan.changes.filter((c) => c.decision.kind === 'disable');
  const verdict =
    disables.length === 0
      ? { hold: false as const }
      : evaluateGuard({
          disables: disables.length + pass.recentDisables,
          // As the reconcile's guard counts: the managed users and the accounts this pass takes over.
          managedUsers: (await countManagedUsers(deps.temporal, taskQueue)) + plan.takenOver,
          usersInScope: batch.usersInScope,
          limits: config.reconcile.guard,
        });
  const send = verdict.hold ? plan.changes.filter((c) => c.decision.kind !== 'disable') : plan.changes;
  await dispatchChanges(deps.temporal, send, {
    taskQueue,
    reconcileId: pass.reconcileId,
    awaitApproval: false,
    onProgress: () => {},
  });
  if (verdict.hold) {
    log.warn({ disables: disables.length, reason: verdict.reason }, 'changed users not disabled');
    if (!fullReconcile) await startFullReconcile(deps, `deprovision guard: ${verdict.reason}`);
  }

  log.info(
    { reconcileId: pass.reconcileId, changed: changedIds.size, dispatched: send.length, held: verdict.hold },
    'directory changes dispatched',
  );
  return {
    dispatched: send.length,
    conflicts: plan.conflicts.length,
    heldDisables: verdict.hold ? disables.length : 0,
    fullReconcile: fullReconcile || verdict.hold,
    disables: verdict.hold ? 0 : disables.length,
  };
}

/** The workflow id of the reconcile the watcher starts; one at a time per task queue. */
export function changesReconcileId(taskQueue: string): string {
  return `reconcile-after-changes-${taskQueue}`;
}

/**
 * Starts a full reconcile, or leaves the one already running: it reads both sides whole and its
 * deprovision guard waits for an operator's approval where needed.
 */
export async function startFullReconcile(
  deps: Pick<ChangePassDeps, 'config' | 'temporal' | 'log'>,
  reason: string,
): Promise<void> {
  const { taskQueue } = deps.config.temporal;
  await deps.temporal.workflow.start<typeof reconcileWorkflow>('reconcileWorkflow', {
    workflowId: changesReconcileId(taskQueue),
    taskQueue,
    args: [{ settleTimeoutMs: durationMs(deps.config.reconcile.settleTimeout) }],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
  });
  deps.log.warn(
    { reason, workflowId: changesReconcileId(taskQueue) },
    'full reconcile started for directory changes',
  );
}

async function countManagedUsers(client: Client, taskQueue: string): Promise<number> {
  const query = `WorkflowType = 'userLifecycleWorkflow' AND TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`;
  return (await client.workflow.count(query)).count;
}
