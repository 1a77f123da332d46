import type { Client } from '@temporalio/client';
import pLimit from 'p-limit';
import type { PlannedChange } from '../reconcile/plan.js';
import { desiredStateSignal, userWorkflowId, type DesiredStateSignal } from '../workflows/definitions.js';
import type { userLifecycleWorkflow } from '../workflows/user-lifecycle.js';

/** Signals in flight at once toward Temporal while dispatching. */
export const dispatchConcurrency = 32;

export interface DispatchOptions {
  readonly taskQueue: string;
  readonly reconcileId: string;
  /** Send these changes as held back by the deprovision guard. */
  readonly awaitApproval: boolean;
  readonly onProgress: (done: number) => void;
}

/**
 * Signal-with-starts the workflow of each user in `changes` with its desired state: the workflow is
 * created if it does not exist yet. Idempotent: a user workflow handed the same state twice writes
 * nothing the second time.
 */
export async function dispatchChanges(
  client: Client,
  changes: readonly PlannedChange[],
  options: DispatchOptions,
): Promise<void> {
  const limit = pLimit(dispatchConcurrency);
  let done = 0;

  await Promise.all(
    changes.map((change) =>
      limit(async () => {
        const signal: DesiredStateSignal = {
          reconcileId: options.reconcileId,
          desired: change.desired,
          ...(options.awaitApproval ? { awaitApproval: true } : {}),
        };
        await client.workflow.signalWithStart<typeof userLifecycleWorkflow, [DesiredStateSignal]>(
          'userLifecycleWorkflow',
          {
            workflowId: userWorkflowId(change.directoryId),
            taskQueue: options.taskQueue,
            args: [{ directoryId: change.directoryId }],
            signal: desiredStateSignal,
            signalArgs: [signal],
          },
        );
        done += 1;
        options.onProgress(done);
      }),
    ),
  );
}
