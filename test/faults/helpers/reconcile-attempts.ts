import type { WorkflowHandle } from '@temporalio/client';
import { eventually } from '../../helpers/eventually.js';

/** A failed attempt of a reconcile's activity, as the Temporal server recorded it. */
export interface FailedAttempt {
  readonly attempt: number;
  /** The failure's stable type, e.g. `Directory:incomplete-read`. */
  readonly type: string;
  readonly message: string;
}

/**
 * Waits until attempt `attempt` (or a later one) of the reconcile's running activity has failed
 * and tells how the latest failed. The server keeps only the last failure: a caller that polls
 * late sees a later attempt, which its assertion on `attempt` then shows.
 */
export async function failedAttempt(run: WorkflowHandle, attempt: number): Promise<FailedAttempt> {
  return eventually(async () => {
    const { raw } = await run.describe();
    const pending = raw.pendingActivities?.find((a) => a.lastFailure);
    const failed = (pending?.attempt ?? 0) - 1;
    if (!pending?.lastFailure || failed < attempt) throw new Error(`attempt ${attempt} has not failed yet`);
    return {
      attempt: failed,
      type: pending.lastFailure.applicationFailureInfo?.type ?? '',
      message: pending.lastFailure.message ?? '',
    };
  }, 5 * 60_000);
}
