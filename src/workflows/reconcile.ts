import {
  condition,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type {
  CompareAndDispatchResult,
  ReconcileActivities,
  SettleResult,
} from '../activities/reconcile-activities.js';
import {
  approveDisablesSignal,
  reconcileProgressQuery,
  reconcileProgressSignal,
  rejectDisablesSignal,
  searchAttributes,
  type GuardDecisionSignal,
  type ReconcileProgress,
} from './definitions.js';

export interface ReconcileInput {
  /** How long to wait for the dispatched users to finish before reporting, in milliseconds. */
  readonly settleTimeoutMs?: number;
}

/** What the operator decided about disables the deprovision guard held back. */
export interface GuardOutcome {
  readonly reason: string;
  readonly held: number;
  readonly verdict: 'approved' | 'rejected';
  readonly by: string | undefined;
  /** Users who were told the verdict (equal to `held` unless some changed meanwhile). */
  readonly delivered: number;
}

/** What one reconcile did: the reconciler's result, readable in the Web UI and printed by the CLI. */
export interface ReconcileSummary extends CompareAndDispatchResult {
  /** The run id: unique to this run, even when a workflow id such as `reconcile-now` is used again. */
  readonly reconcileId: string;
  /** The workflow id it was started under (by the schedule, the CLI or the Temporal CLI). */
  readonly workflowId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly guard: GuardOutcome | undefined;
  readonly outcome: SettleResult;
}

const { compareAndDispatch } = proxyActivities<ReconcileActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '2 minutes',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 5,
  },
});

const { awaitUsersSettled, deliverGuardVerdict } = proxyActivities<ReconcileActivities>({
  startToCloseTimeout: '1 day',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumAttempts: 10 },
});

const defaultSettleTimeoutMs = 30 * 60_000;

/**
 * One full comparison of the directory with ServiceNow. The reading, comparing and fan-out happen in
 * activities that hand back counts, so the history holds a few events whatever the directory's size.
 * When the deprovision guard trips, the reconcile waits, visibly, for an operator's verdict.
 */
export async function reconcileWorkflow(input: ReconcileInput = {}): Promise<ReconcileSummary> {
  const startedAt = new Date().toISOString();
  const reconcileId = workflowInfo().runId;
  const settleTimeoutMs = input.settleTimeoutMs ?? defaultSettleTimeoutMs;

  let progress: ReconcileProgress = {
    stage: 'starting',
    directoryUsers: 0,
    serviceNowAccounts: 0,
    managedUsers: 0,
    dispatched: 0,
    settled: 0,
  };
  let verdict: { approved: boolean; by: string | undefined } | undefined;
  setHandler(reconcileProgressSignal, (update) => void (progress = { ...progress, ...update }));
  setHandler(reconcileProgressQuery, () => progress);
  setHandler(approveDisablesSignal, (decision?: GuardDecisionSignal) => {
    verdict ??= { approved: true, by: decision?.by };
  });
  setHandler(rejectDisablesSignal, (decision?: GuardDecisionSignal) => {
    verdict ??= { approved: false, by: decision?.by };
  });

  const pass = await compareAndDispatch({ reconcileId });
  // A result recorded before the dispatch id existed used the reconcile's own id.
  const dispatchId = (pass.dispatchId as string | undefined) ?? reconcileId;
  let guard: GuardOutcome | undefined;
  if (pass.heldDisables > 0) {
    progress = { ...progress, stage: 'awaiting-approval' };
    upsertSearchAttributes([{ key: searchAttributes.state, value: 'awaiting-approval' }]);
    await condition(() => verdict !== undefined);
    const { approved, by } = verdict!;
    const delivered = await deliverGuardVerdict({
      reconcileId: dispatchId,
      held: pass.heldDisables,
      approved,
      timeoutMs: settleTimeoutMs,
    });
    upsertSearchAttributes([{ key: searchAttributes.state, value: approved ? 'approved' : 'rejected' }]);
    guard = {
      reason: pass.guardReason ?? '',
      held: pass.heldDisables,
      verdict: approved ? 'approved' : 'rejected',
      by,
      delivered,
    };
  }

  // With nobody signalled there is nothing to wait for, and a steady directory's reconcile ends
  // here rather than run an activity that can only count zero. `patched` keeps the histories of
  // reconciles that ran it anyway replaying.
  const outcome =
    pass.dispatched === 0 && patched('no-settle-without-dispatch')
      ? { settled: 0, failed: 0, unsettled: 0 }
      : await awaitUsersSettled({
          reconcileId: dispatchId,
          dispatched: pass.dispatched,
          timeoutMs: settleTimeoutMs,
        });
  progress = { ...progress, stage: 'done', settled: outcome.settled };
  const { workflowId } = workflowInfo();
  return {
    ...pass,
    reconcileId,
    workflowId,
    startedAt,
    finishedAt: new Date().toISOString(),
    guard,
    outcome,
  };
}
