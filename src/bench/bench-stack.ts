import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { stringify } from 'yaml';
import { generateSampleDirectory, type SamplePerson } from '../dev/sample-directory.js';
import { startSlapd, type RunningSlapd } from '../dev/slapd.js';
import { startTemporalDevServer, type RunningDevServer } from '../dev/temporal-dev-server.js';
import type { ReconcileSummary, reconcileWorkflow } from '../workflows/reconcile.js';
import { startEmulatorProcess, type EmulatorProcess } from './emulator-process.js';
import { hasPollers } from './task-queue.js';
import { productCliPath, startWorkerProcess, workerLogFile, type WorkerProcess } from './worker-process.js';

/** Mapped fields of every benchmark stack: what a typical deployment maps. */
export const benchMapping = { first_name: 'givenName', last_name: 'sn', email: 'mail', title: 'title' };

/** What a benchmark stack is started with. */
export interface BenchStackOptions {
  readonly workDir: string;
  /** People in the directory, all in scope and enabled. */
  readonly people: number;
  /** Give every person an account in ServiceNow before the first reconcile (the link case). */
  readonly existingAccounts?: boolean;
  /** Changes to the product's `servicenow` settings (a request budget). */
  readonly servicenow?: Record<string, unknown>;
  /** Changes to the product's `directory` settings. */
  readonly directory?: Record<string, unknown>;
  /** Write a V8 CPU profile of the worker here when it stops. */
  readonly cpuProfileDir?: string | undefined;
  /** SQLite pragmas of the dev server. */
  readonly sqlitePragmas: readonly string[];
}

/** A real slapd, a file-backed Temporal dev server, the emulator and the product's worker, each a process. */
export interface BenchStack {
  readonly temporal: RunningDevServer;
  readonly client: Client;
  readonly slapd: RunningSlapd;
  readonly emulator: EmulatorProcess;
  readonly worker: WorkerProcess;
  readonly people: readonly SamplePerson[];
  readonly taskQueue: string;
  readonly dbFile: string;
  readonly configFile: string;
  readonly env: NodeJS.ProcessEnv;
  /** Starts one reconcile; `settleTimeoutMs` as the schedule would pass it. */
  startReconcile(): Promise<WorkflowHandle<typeof reconcileWorkflow>>;
  reconcile(): Promise<ReconcileSummary>;
  /** Stops the worker (writing its CPU profile when asked for) and starts a new one. */
  restartWorker(): Promise<void>;
  stop(): Promise<void>;
}

const integration = { userName: 'svc.provisioning', password: randomBytes(12).toString('hex') };

/** Starts every process of one benchmark stack in `workDir`, each on free ports. */
export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  await mkdir(options.workDir, { recursive: true });
  const dbFile = join(options.workDir, 'temporal.db');
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };

  try {
    const temporal = await startTemporalDevServer({ dbFile, sqlitePragmas: options.sqlitePragmas });
    stops.push(() => temporal.stop());
    const connection = await Connection.connect({ address: temporal.address });
    stops.push(() => connection.close());
    const client = new Client({ connection });

    const sample = generateSampleDirectory({
      suffix: 'dc=example,dc=com',
      people: options.people,
      seed: 2026,
      disabledShare: 0,
    });
    const slapd = await startSlapd({ ldif: sample.ldif, dataDir: join(options.workDir, 'ldap') });
    stops.push(() => slapd.stop());

    const emulator = await startEmulatorProcess({
      workDir: options.workDir,
      integration,
      records: options.existingAccounts ? sample.people.map(accountOf) : [],
    });
    stops.push(() => emulator.stop());

    const taskQueue = `bench-${randomUUID()}`;
    const configFile = join(options.workDir, 'provisioner.yaml');
    await writeFile(configFile, configYaml(options, { temporal, slapd, emulator, taskQueue }));
    const env = { BENCH_LDAP_PASSWORD: slapd.readerPassword, BENCH_SN_PASSWORD: integration.password };

    let workerRuns = 0;
    const startWorker = () =>
      startWorkerProcess({
        args: [productCliPath(), '-c', configFile, 'worker', '--no-schedule'],
        env,
        logFile: workerLogFile(options.workDir, `worker-${++workerRuns}`),
        ready: () => hasPollers(client, taskQueue),
        cpuProfileDir: options.cpuProfileDir,
      });
    let worker = await startWorker();
    stops.push(() => worker.stop());

    const startReconcile = () =>
      client.workflow.start<typeof reconcileWorkflow>('reconcileWorkflow', {
        workflowId: `reconcile-${randomUUID()}`,
        taskQueue,
        args: [{ settleTimeoutMs: 4 * 3600_000 }],
      });
    return {
      temporal,
      client,
      slapd,
      emulator,
      get worker() {
        return worker;
      },
      people: sample.people,
      taskQueue,
      dbFile,
      configFile,
      env,
      startReconcile,
      reconcile: async () => (await startReconcile()).result(),
      async restartWorker() {
        await worker.stop();
        worker = await startWorker();
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function accountOf(person: SamplePerson): Record<string, string | boolean> {
  return {
    user_name: person.uid,
    first_name: person.givenName,
    last_name: person.sn,
    email: person.mail,
    title: person.title,
    active: true,
  };
}

function configYaml(
  options: BenchStackOptions,
  s: { temporal: RunningDevServer; slapd: RunningSlapd; emulator: EmulatorProcess; taskQueue: string },
): string {
  return stringify({
    directory: {
      type: 'openldap',
      url: s.slapd.url,
      bindDn: s.slapd.readerDn,
      bindPassword: { env: 'BENCH_LDAP_PASSWORD' },
      baseDn: s.slapd.peopleDn,
      ...options.directory,
    },
    servicenow: {
      instanceUrl: s.emulator.url,
      auth: { type: 'basic', username: integration.userName, password: { env: 'BENCH_SN_PASSWORD' } },
      ...options.servicenow,
    },
    mapping: { fields: benchMapping },
    temporal: { address: s.temporal.address, namespace: 'default', taskQueue: s.taskQueue },
    reconcile: { settleTimeout: '4h', guard: { maxDisables: 1_000_000, maxDisableShare: 1 } },
    logging: { level: 'info' },
  });
}
