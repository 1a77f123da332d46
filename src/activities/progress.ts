import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Logger } from '../log.js';
import { reconcileProgressSignal, type ReconcileProgress } from '../workflows/definitions.js';

/** At most one progress signal this often, so a long reconcile adds few events to its history. */
const minimumIntervalMs = 2000;

/** Reports progress to the reconcile workflow that runs this activity, and heartbeats with it. */
export type ProgressReporter = (progress: Partial<ReconcileProgress>, options?: { force?: boolean }) => void;

/**
 * Makes a reporter for the current activity. Each report heartbeats (so a stuck activity is seen
 * and retried); a signal to the workflow goes out when the stage changes or two seconds have
 * passed, and a failed signal is logged, never fatal: progress is for people, not for correctness.
 */
export function reportProgressTo(client: Client, log: Logger): ProgressReporter {
  const context = Context.current();
  const execution = context.info.workflowExecution;
  const handle = execution && client.workflow.getHandle(execution.workflowId, execution.runId);
  let lastSent = 0;
  let pending: Partial<ReconcileProgress> = {};

  return (progress, options = {}) => {
    pending = { ...pending, ...progress };
    context.heartbeat(pending);
    const now = Date.now();
    if (!handle) return;
    if (!options.force && progress.stage === undefined && now - lastSent < minimumIntervalMs) return;

    lastSent = now;
    const sending = pending;
    pending = {};
    void handle.signal(reconcileProgressSignal, sending).catch((error: unknown) => {
      log.warn(
        { workflowId: handle.workflowId, error: (error as Error).message },
        'progress signal not delivered',
      );
    });
  };
}
