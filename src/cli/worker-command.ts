import type { Config } from '../config/load.js';
import { createLogger } from '../log.js';
import { startMetricsServer, type MetricsServer } from '../metrics/metrics-server.js';
import { ProvisioningMetrics } from '../metrics/provisioning-metrics.js';
import { temporalMetricsTelemetry } from '../metrics/temporal-telemetry.js';
import { ensureReconcileSchedule } from '../temporal/schedule.js';
import { installRuntimeLogger } from '../workers/runtime-logger.js';
import { createProvisioningWorker } from '../workers/worker.js';

/**
 * Runs the worker until SIGINT or SIGTERM; keeps the reconcile schedule in line with the
 * configuration, and serves the metrics endpoints the configuration asks for.
 */
export async function runWorkerCommand(config: Config, options: { schedule: boolean }): Promise<void> {
  const log = createLogger({ level: config.logging.level, name: 'worker' });
  const { listen, temporalListen } = config.metrics;
  installRuntimeLogger(log, temporalListen ? temporalMetricsTelemetry(temporalListen) : undefined);
  if (temporalListen) log.info({ url: `http://${temporalListen}/metrics` }, 'Temporal SDK metrics served');

  const metrics = new ProvisioningMetrics({ processMetrics: true });
  const worker = await createProvisioningWorker(config, { log, metrics });
  let server: MetricsServer | undefined;
  if (listen) {
    server = await startMetricsServer(metrics, listen);
    log.info({ url: server.url }, 'provisioning metrics served');
  }

  if (options.schedule) {
    const outcome = await ensureReconcileSchedule(worker.client, config);
    log.info({ every: config.reconcile.interval, outcome }, 'reconcile schedule in place');
  }

  const stop = (): void => worker.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  log.info({ taskQueue: config.temporal.taskQueue, address: config.temporal.address }, 'worker started');
  try {
    await worker.run();
  } finally {
    await server?.close();
  }
  log.info('worker stopped');
}
