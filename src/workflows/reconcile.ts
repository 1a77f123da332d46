import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type {
  CompareAndDispatchResult,
  ReconcileActivities,
  SettleResult,
} from '../activities/reconcile-activities.js';

export interface ReconcileInput {
  /** How long to wait for the dispatched users to finish before reporting, in milliseconds. */
  readonly settleTimeoutMs?: number;
}

/** What one reconcile did: the reconciler's result, readable in the Web UI and printed by the CLI. */
export interface ReconcileSummary extends CompareAndDispatchResult {
  readonly reconcileId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
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

const { awaitUsersSettled } = proxyActivities<ReconcileActivities>({
  startToCloseTimeout: '1 day',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumAttempts: 10 },
});

const defaultSettleTimeoutMs = 30 * 60_000;

/**
 * One full comparison of the directory with ServiceNow. The reading, comparing and fan-out happen in
 * activities that hand back counts, so the history holds a few events whatever the directory's size.
 */
export async function reconcileWorkflow(input: ReconcileInput = {}): Promise<ReconcileSummary> {
  const startedAt = new Date().toISOString();
  const reconcileId = workflowInfo().runId;

  const pass = await compareAndDispatch({ reconcileId });
  const outcome = await awaitUsersSettled({
    reconcileId,
    dispatched: pass.dispatched,
    timeoutMs: input.settleTimeoutMs ?? defaultSettleTimeoutMs,
  });

  return { ...pass, reconcileId, startedAt, finishedAt: new Date().toISOString(), outcome };
}
