import type { Config } from '../config/load.js';
import { createLogger, type Logger } from '../log.js';
import { connectClient } from '../temporal/connect.js';
import { durationMs, ensureReconcileSchedule } from '../temporal/schedule.js';
import { installRuntimeLogger } from '../workers/runtime-logger.js';
import { createProvisioningWorker } from '../workers/worker.js';
import type { ReconcileSummary, reconcileWorkflow } from '../workflows/reconcile.js';
import { formatSummary } from './summary.js';

/** Runs the worker until SIGINT or SIGTERM; keeps the reconcile schedule in line with the configuration. */
export async function runWorkerCommand(config: Config, options: { schedule: boolean }): Promise<void> {
  const log = createLogger({ level: config.logging.level, name: 'worker' });
  installRuntimeLogger(log);
  const worker = await createProvisioningWorker(config, { log });

  if (options.schedule) {
    const outcome = await ensureReconcileSchedule(worker.client, config);
    log.info({ every: config.reconcile.interval, outcome }, 'reconcile schedule in place');
  }

  const stop = (): void => worker.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  log.info({ taskQueue: config.temporal.taskQueue, address: config.temporal.address }, 'worker started');
  await worker.run();
  log.info('worker stopped');
}

/** Starts one reconcile, waits for it and prints its summary (or JSON). */
export async function runReconcileCommand(
  config: Config,
  options: { wait: boolean; json: boolean },
): Promise<void> {
  const client = await connectClient(config);
  const handle = await startReconcile(client, config);
  if (!options.wait) {
    console.log(`started ${handle.workflowId}`);
    return;
  }

  const summary: ReconcileSummary = await handle.result();
  console.log(options.json ? JSON.stringify(summary, null, 2) : formatSummary(summary));
}

/** Starts a reconcile now, with an id that says it was started by hand and when. */
export function startReconcile(client: Awaited<ReturnType<typeof connectClient>>, config: Config) {
  return client.workflow.start<typeof reconcileWorkflow>('reconcileWorkflow', {
    workflowId: `reconcile-manual-${new Date().toISOString().replace(/[:.]/g, '-')}`,
    taskQueue: config.temporal.taskQueue,
    args: [{ settleTimeoutMs: durationMs(config.reconcile.settleTimeout) }],
  });
}

export type { Logger };
