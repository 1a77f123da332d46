import type { Client } from '@temporalio/client';
import type { Config } from '../config/load.js';
import { durationMs } from '../temporal/schedule.js';
import type { ReconcileSummary, reconcileWorkflow } from '../workflows/reconcile.js';
import { exitCodes, type ExitCode } from './exit-codes.js';
import { writeLines, type Output } from './output.js';
import { followProgress, progressBar, progressLines, type ProgressView } from './reconcile-progress.js';
import { formatSummary } from './summary.js';
import { withTemporal } from './temporal-client.js';

export interface ReconcileCommandOptions {
  readonly wait: boolean;
  readonly json: boolean;
}

/** Where the command writes: the summary to `out`, progress to `progress` (standard error in the CLI). */
export interface ReconcileOutputs {
  readonly out: Output;
  readonly progress: Output;
  /** The terminal to draw a bar on, when `progress` is one. */
  readonly terminal?: NodeJS.WriteStream;
}

/**
 * `provisioner reconcile`: starts one reconcile, shows its progress while it runs (a bar on a
 * terminal, plain lines elsewhere), then prints its summary (or JSON).
 */
export function runReconcileCommand(
  config: Config,
  options: ReconcileCommandOptions,
  outputs: ReconcileOutputs,
): Promise<ExitCode> {
  return withTemporal(config, async (client) => {
    const handle = await startReconcile(client, config);
    if (!options.wait) {
      writeLines(outputs.out, `started ${handle.workflowId}`);
      return exitCodes.ok;
    }

    const view: ProgressView =
      outputs.progress.isTTY && outputs.terminal
        ? progressBar(outputs.terminal)
        : progressLines(outputs.progress, handle.workflowId);
    const summary: ReconcileSummary = await followProgress(handle, handle.result(), view);
    writeLines(outputs.out, options.json ? JSON.stringify(summary, null, 2) : formatSummary(summary));
    return exitCodes.ok;
  });
}

/** Starts a reconcile now, with an id that says it was started by hand and when. */
export function startReconcile(client: Client, config: Config) {
  return client.workflow.start<typeof reconcileWorkflow>('reconcileWorkflow', {
    workflowId: `reconcile-manual-${new Date().toISOString().replace(/[:.]/g, '-')}`,
    taskQueue: config.temporal.taskQueue,
    args: [{ settleTimeoutMs: durationMs(config.reconcile.settleTimeout) }],
  });
}
