import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleHandle,
} from '@temporalio/client';
import type { Config } from '../config/load.js';
import type { reconcileWorkflow } from '../workflows/reconcile.js';

/** What the schedule needs from the configuration. */
export type ScheduleSettings = Pick<Config, 'temporal' | 'reconcile'>;

/**
 * The id of the schedule that runs the reconciler of one deployment. Named after the task queue, as
 * the managed users are, so two deployments sharing a namespace keep separate schedules.
 */
export function reconcileScheduleId(taskQueue: string): string {
  return `reconcile-${taskQueue}`;
}

/** The schedule is missing: the worker creates it at start, or `provisioner schedule apply`. */
export class ScheduleMissingError extends Error {
  override readonly name = 'ScheduleMissingError';

  constructor(
    readonly scheduleId: string,
    options: { cause: unknown },
  ) {
    super(
      `there is no schedule ${scheduleId}: start the worker or run \`provisioner schedule apply\``,
      options,
    );
  }
}

/**
 * Creates the reconcile schedule from the configuration, or updates it to match. Idempotent: the
 * same configuration twice gives one schedule. A reconcile still running when the next is due is
 * not doubled: the next one is skipped. An update keeps the schedule's state, so a schedule an
 * operator paused stays paused when a worker restarts.
 */
export async function ensureReconcileSchedule(
  client: Client,
  settings: ScheduleSettings,
): Promise<'created' | 'updated'> {
  const { taskQueue } = settings.temporal;
  const scheduleId = reconcileScheduleId(taskQueue);
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'reconcileWorkflow',
    workflowId: `reconcile-scheduled-${taskQueue}`,
    taskQueue,
    args: [{ settleTimeoutMs: durationMs(settings.reconcile.settleTimeout) }] as Parameters<
      typeof reconcileWorkflow
    >,
  };
  const spec = { intervals: [{ every: settings.reconcile.interval }] };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' };

  try {
    await client.schedule.create({ scheduleId, spec, action, policies });
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action, policies }));
  return 'updated';
}

/** What an operator wants to know about the schedule. */
export interface ReconcileScheduleView {
  readonly scheduleId: string;
  /** How often it runs, in milliseconds. */
  readonly everyMs: number | undefined;
  readonly paused: boolean;
  readonly note: string | undefined;
  readonly nextRuns: readonly Date[];
  readonly recentRuns: readonly { readonly workflowId: string; readonly startedAt: Date }[];
  readonly runningWorkflowIds: readonly string[];
}

/** The schedule's state; throws ScheduleMissingError when there is none. */
export async function describeReconcileSchedule(
  client: Client,
  taskQueue: string,
): Promise<ReconcileScheduleView> {
  const scheduleId = reconcileScheduleId(taskQueue);
  const description = await withSchedule(client, scheduleId, (handle) => handle.describe());
  return {
    scheduleId,
    everyMs: description.spec.intervals?.[0]?.every,
    paused: description.state.paused,
    note: description.state.note || undefined,
    nextRuns: description.info.nextActionTimes,
    recentRuns: description.info.recentActions.map((a) => ({
      workflowId: a.action.workflow.workflowId,
      startedAt: a.takenAt,
    })),
    runningWorkflowIds: description.info.runningActions.map((a) => a.workflow.workflowId),
  };
}

/** Stops the schedule from starting reconciles until resumed; `note` says why, in the Web UI too. */
export function pauseReconcileSchedule(client: Client, taskQueue: string, note: string): Promise<void> {
  return withSchedule(client, reconcileScheduleId(taskQueue), (handle) => handle.pause(note));
}

/** Lets a paused schedule start reconciles again. */
export function resumeReconcileSchedule(client: Client, taskQueue: string, note: string): Promise<void> {
  return withSchedule(client, reconcileScheduleId(taskQueue), (handle) => handle.unpause(note));
}

/**
 * Starts a reconcile now through the schedule, paused or not. The schedule's overlap policy holds: if
 * a scheduled reconcile is still running, none is started.
 */
export function triggerReconcileSchedule(client: Client, taskQueue: string): Promise<void> {
  return withSchedule(client, reconcileScheduleId(taskQueue), (handle) => handle.trigger());
}

async function withSchedule<T>(
  client: Client,
  scheduleId: string,
  act: (handle: ScheduleHandle) => Promise<T>,
): Promise<T> {
  try {
    return await act(client.schedule.getHandle(scheduleId));
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) throw new ScheduleMissingError(scheduleId, { cause: error });
    throw error;
  }
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
