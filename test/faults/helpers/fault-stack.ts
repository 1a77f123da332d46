import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { stringify } from 'yaml';
import { generateSampleDirectory, type SampleDirectory } from '../../../src/dev/sample-directory.js';
import { startSlapd, type RunningSlapd } from '../../../src/dev/slapd.js';
import { startTemporalDevServer, type RunningDevServer } from '../../../src/dev/temporal-dev-server.js';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { reconcileProgressQuery } from '../../../src/workflows/definitions.js';
import type { ReconcileSummary, reconcileWorkflow } from '../../../src/workflows/reconcile.js';
import { integrationAccount } from '../../helpers/accounts.js';
import { mappedFields } from './expected-state.js';
import { checkerAccount, ServiceNowView } from './servicenow-view.js';
import { WorkerProcess } from './worker-process.js';

export interface FaultStackOptions {
  /** People in the generated directory (about three quarters of them are in scope). */
  readonly people: number;
  readonly seed: number;
  /** sys_user records that predate the product. */
  readonly accounts?: Array<Record<string, string | boolean>>;
  /** Keep Temporal's state in a file, so the server can be restarted mid-run. */
  readonly temporalOnDisk?: boolean;
  /** Sections of the configuration file to change, e.g. `{ directory: { pageSize: 5 } }`. */
  readonly config?: { readonly [section: string]: Record<string, unknown> };
}

/**
 * The whole product as an operator runs it, for one fault case: a real slapd loaded with a
 * generated directory, the ServiceNow emulator over HTTP, a Temporal dev server, and the compiled
 * `provisioner worker` as a child process that can be killed. Reconciles are started the way the
 * schedule starts them; ServiceNow is read over HTTP only.
 */
export class FaultStack {
  private constructor(
    readonly sample: SampleDirectory,
    readonly slapd: RunningSlapd,
    readonly emulator: RunningEmulator,
    readonly temporal: RunningDevServer,
    readonly client: Client,
    readonly worker: WorkerProcess,
    readonly servicenow: ServiceNowView,
    readonly taskQueue: string,
    private readonly workDir: string,
  ) {}

  static async start(options: FaultStackOptions): Promise<FaultStack> {
    const workDir = mkdtempSync(join(tmpdir(), 'provisioner-faults-'));
    const sample = generateSampleDirectory({
      suffix: 'dc=example,dc=com',
      people: options.people,
      seed: options.seed,
    });
    const [slapd, emulator, temporal] = await Promise.all([
      startSlapd({ ldif: sample.ldif }),
      startEmulator({ accounts: [integrationAccount, checkerAccount], records: options.accounts ?? [] }),
      startTemporalDevServer(options.temporalOnDisk ? { dbFile: join(workDir, 'temporal.db') } : {}),
    ]);
    const taskQueue = `faults-${randomUUID()}`;
    const configFile = join(workDir, 'provisioner.yaml');
    writeFileSync(
      configFile,
      stringify(configFor({ slapd, sample, emulatorUrl: emulator.url, temporal, taskQueue }, options)),
    );
    const worker = new WorkerProcess(configFile, {
      FAULTS_LDAP_PASSWORD: slapd.readerPassword,
      FAULTS_SN_PASSWORD: integrationAccount.password,
    });
    const connection = await Connection.connect({ address: temporal.address });
    const stack = new FaultStack(
      sample,
      slapd,
      emulator,
      temporal,
      new Client({ connection }),
      worker,
      new ServiceNowView(emulator.url),
      taskQueue,
      workDir,
    );
    await worker.start();
    return stack;
  }

  /** Starts a reconcile as the schedule does, with a settle timeout long enough for every fault. */
  startReconcile(): Promise<WorkflowHandle<typeof reconcileWorkflow>> {
    return this.client.workflow.start<typeof reconcileWorkflow>('reconcileWorkflow', {
      workflowId: `reconcile-${randomUUID()}`,
      taskQueue: this.taskQueue,
      args: [{ settleTimeoutMs: 15 * 60_000 }],
    });
  }

  /**
   * Runs one reconcile to its end. None of the cases should trip the deprovision guard: a reconcile
   * that waits for an operator is ended and reported at once rather than left to hit the test's timeout.
   */
  async reconcile(): Promise<ReconcileSummary> {
    const run = await this.startReconcile();
    let finished = false;
    const held = async (): Promise<never> => {
      while (!finished) {
        await delay(2_000);
        if (finished) break;
        const progress = await run.query(reconcileProgressQuery).catch(() => undefined);
        if (finished || progress?.stage !== 'awaiting-approval') continue;
        await run.terminate('the fault suite expects no held disables');
        throw new Error(`reconcile ${run.workflowId} is held by the deprovision guard`);
      }
      return new Promise<never>(() => undefined);
    };
    try {
      return await Promise.race([run.result(), held()]);
    } finally {
      finished = true;
    }
  }

  async stop(): Promise<void> {
    await this.worker.stop();
    await this.client.connection.close();
    await Promise.all([this.temporal.stop(), this.emulator.close(), this.slapd.stop()]);
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

function configFor(
  parts: {
    slapd: RunningSlapd;
    sample: SampleDirectory;
    emulatorUrl: string;
    temporal: RunningDevServer;
    taskQueue: string;
  },
  options: FaultStackOptions,
): Record<string, unknown> {
  const base: Record<string, Record<string, unknown>> = {
    directory: {
      type: 'openldap',
      url: parts.slapd.url,
      bindDn: parts.slapd.readerDn,
      bindPassword: { env: 'FAULTS_LDAP_PASSWORD' },
      baseDn: parts.slapd.peopleDn,
      groups: [parts.sample.groupDns.scope],
    },
    servicenow: {
      instanceUrl: parts.emulatorUrl,
      auth: { type: 'basic', username: integrationAccount.userName, password: { env: 'FAULTS_SN_PASSWORD' } },
    },
    mapping: { fields: mappedFields },
    temporal: { address: parts.temporal.address, namespace: 'default', taskQueue: parts.taskQueue },
    // The guard is not under test here: the cases that disable stay well under its limits.
    reconcile: { settleTimeout: '15m' },
    logging: { level: 'info' },
  };
  for (const [section, changes] of Object.entries(options.config ?? {})) {
    base[section] = { ...base[section], ...changes };
  }
  return base;
}
