import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createReconcileActivities } from '../activities/reconcile-activities.js';
import { createUserActivities } from '../activities/user-activities.js';
import { createWatcherActivities } from '../activities/watch-directory.js';
import { clientDataConverter, workerDataConverter } from '../codec/data-converter.js';
import type { Config } from '../config/load.js';
import type { Logger } from '../log.js';
import { accountMetricsInterceptor } from '../metrics/activity-metrics.js';
import type { ProvisioningMetrics } from '../metrics/provisioning-metrics.js';
import { ServiceNowClient } from '../servicenow/client.js';
import { warnAboutUnverifiedTls } from '../startup/tls-warnings.js';
import { ensureDirectoryWatcher } from '../temporal/directory-watcher.js';
import { ensureSearchAttributes } from '../temporal/search-attributes.js';
import { bundleWorkflowsApart } from './workflow-bundle.js';
import { workerTuning } from './worker-tuning.js';

export interface ProvisioningWorkerOptions {
  readonly log: Logger;
  /** A pre-built workflow bundle (tests build one for all workers); default: bundle at start. */
  readonly workflowBundle?: { readonly codePath: string };
  /** Counts what the activities do to accounts, for the metrics endpoint; not counted when unset. */
  readonly metrics?: ProvisioningMetrics;
}

/** A worker ready to run, with the connections it owns. */
export interface ProvisioningWorker {
  readonly worker: Worker;
  readonly client: Client;
  /** Runs until shutdown() or a fatal error, then closes the connections. */
  run(): Promise<void>;
  shutdown(): void;
}

/**
 * Builds the worker that runs every workflow and activity of the product on one task queue, and
 * starts the directory watcher when `directory.incremental.enabled` (or stops it when not). Secrets
 * stay here: the ServiceNow client is built from the configuration in this process, and workflows
 * only ever see ids, desired states, watermarks and counts.
 */
export async function createProvisioningWorker(
  config: Config,
  options: ProvisioningWorkerOptions,
): Promise<ProvisioningWorker> {
  const { log } = options;
  const { address, namespace, taskQueue } = config.temporal;

  warnAboutUnverifiedTls(config, log);
  const clientConnection = await Connection.connect({ address });
  const client = new Client({
    connection: clientConnection,
    namespace,
    dataConverter: clientDataConverter(config),
  });
  const added = await ensureSearchAttributes(clientConnection, namespace);
  if (added.length > 0) log.info({ namespace, added }, 'search attributes registered');

  const serviceNow = new ServiceNowClient(config.servicenow, { logger: log });
  const mappedFields = Object.keys(config.mapping.fields);
  const activities = {
    ...createUserActivities({ serviceNow, mappedFields, switches: config.switches, log }),
    ...createReconcileActivities({ config, serviceNow, temporal: client, log }),
    ...createWatcherActivities({ config, serviceNow, temporal: client, log }),
  };

  const bundle = options.workflowBundle ?? (await bundleWorkflowsApart(workflowsPath()));
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    namespace,
    taskQueue,
    activities,
    ...(bundle ? { workflowBundle: bundle } : { workflowsPath: workflowsPath() }),
    ...workerTuning(config.servicenow),
    dataConverter: workerDataConverter(config),
    interceptors: { activity: options.metrics ? [accountMetricsInterceptor(options.metrics)] : [] },
  });
  // The worker has read the bundle; a bundle made for this start is not needed any more.
  if (bundle && !options.workflowBundle) await rm(dirname(bundle.codePath), { recursive: true, force: true });
  const watcher = await ensureDirectoryWatcher(client, config);
  if (watcher !== 'off') log.info({ taskQueue, outcome: watcher }, 'directory watcher in place');

  return {
    worker,
    client,
    async run() {
      try {
        await worker.run();
      } finally {
        await connection.close();
        await clientConnection.close();
      }
    },
    shutdown: () => worker.shutdown(),
  };
}

/** The workflows module next to this file: compiled `.js` in production, `.ts` when run from source. */
export function workflowsPath(): string {
  for (const extension of ['js', 'ts']) {
    const path = fileURLToPath(new URL(`../workflows/index.${extension}`, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('cannot find the workflows module next to the worker');
}
