import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { Config } from '../config/load.js';
import type { reconcileWorkflow } from '../workflows/reconcile.js';

/** The one schedule that runs the reconciler periodically. */
export const reconcileScheduleId = 'provisioner-reconcile';

/**
 * Creates the reconcile schedule from the configuration, or updates it to match. Idempotent: the
 * same configuration twice gives one schedule. A reconcile still running when the next is due is
 * not doubled: the next one is skipped.
 */
export async function ensureReconcileSchedule(
  client: Client,
  config: Config,
): Promise<'created' | 'updated'> {
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'reconcileWorkflow',
    workflowId: 'reconcile-scheduled',
    taskQueue: config.temporal.taskQueue,
    args: [{ settleTimeoutMs: durationMs(config.reconcile.settleTimeout) }] as Parameters<
      typeof reconcileWorkflow
    >,
  };
  const spec = { intervals: [{ every: config.reconcile.interval }] };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' };

  try {
    await client.schedule.create({ scheduleId: reconcileScheduleId, spec, action, policies });
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  await client.schedule
    .getHandle(reconcileScheduleId)
    .update((previous) => ({ ...previous, spec, action, policies }));
  return 'updated';
}

/** Milliseconds in a duration such as "30s" or "15m" (the config schema allows only these forms). */
export function durationMs(duration: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(duration);
  if (!match) throw new Error(`not a duration: ${duration}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[
    match[2] as 'ms' | 's' | 'm' | 'h' | 'd'
  ];
  return Number(match[1]) * unit;
}
