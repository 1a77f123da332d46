import {
  describeReconcileSchedule,
  ensureReconcileSchedule,
  pauseReconcileSchedule,
  reconcileScheduleId,
  resumeReconcileSchedule,
  triggerReconcileSchedule,
  type ReconcileScheduleView,
} from '../temporal/schedule.js';
import { exitCodes, type ExitCode } from './exit-codes.js';
import { writeLines, type Output } from './output.js';
import type { Config } from '../config/load.js';
import { withTemporal } from './temporal-client.js';

/** The operations on the reconcile schedule that the CLI offers. */
export type ScheduleAction = 'show' | 'apply' | 'pause' | 'resume' | 'trigger';

/**
 * `provisioner schedule <action>`: show the schedule, create or update it from the configuration,
 * pause it (with a note that the Web UI shows too), resume it, or run a reconcile through it now.
 */
export function runScheduleCommand(
  settings: Config,
  action: ScheduleAction,
  options: { note?: string; json?: boolean },
  out: Output,
): Promise<ExitCode> {
  const { taskQueue } = settings.temporal;
  const id = reconcileScheduleId(taskQueue);
  return withTemporal(settings, async (client) => {
    switch (action) {
      case 'show': {
        const view = await describeReconcileSchedule(client, taskQueue);
        writeLines(out, options.json ? JSON.stringify(view, null, 2) : formatSchedule(view));
        break;
      }
      case 'apply': {
        const outcome = await ensureReconcileSchedule(client, settings);
        writeLines(out, `schedule ${id} ${outcome}: a reconcile every ${settings.reconcile.interval}`);
        break;
      }
      case 'pause':
        await pauseReconcileSchedule(
          client,
          taskQueue,
          options.note ?? 'paused with provisioner schedule pause',
        );
        writeLines(out, `schedule ${id} paused`);
        break;
      case 'resume':
        await resumeReconcileSchedule(
          client,
          taskQueue,
          options.note ?? 'resumed with provisioner schedule resume',
        );
        writeLines(out, `schedule ${id} resumed`);
        break;
      case 'trigger':
        await triggerReconcileSchedule(client, taskQueue);
        writeLines(out, `schedule ${id} triggered: a reconcile starts now unless one is running`);
        break;
    }
    return exitCodes.ok;
  });
}

function formatSchedule(view: ReconcileScheduleView): string {
  const lines = [
    `schedule ${view.scheduleId}`,
    `  every     ${view.everyMs === undefined ? '-' : formatEvery(view.everyMs)}`,
    `  state     ${view.paused ? 'paused' : 'active'}${view.note ? ` (${view.note})` : ''}`,
    `  next      ${view.paused ? '-' : (view.nextRuns[0]?.toISOString() ?? '-')}`,
    `  running   ${view.runningWorkflowIds.join(', ') || '-'}`,
  ];
  for (const run of view.recentRuns.slice(-5)) {
    lines.push(`  ran       ${run.startedAt.toISOString()}  ${run.workflowId}`);
  }
  return lines.join('\n');
}

function formatEvery(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
