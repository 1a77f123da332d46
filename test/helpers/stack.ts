import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { stringify } from 'yaml';
import { parseConfig, type Config } from '../../src/config/load.js';
import { startSlapd, type RunningSlapd, type SlapdOptions } from '../../src/dev/slapd.js';
import {
  startEmulator,
  type EmulatorOptions,
  type RequestLogEntry,
  type RunningEmulator,
} from '../../src/emulator/index.js';
import { createLogger, type Logger } from '../../src/log.js';
import type { ProvisioningMetrics } from '../../src/metrics/provisioning-metrics.js';
import { createProvisioningWorker, type ProvisioningWorker } from '../../src/workers/worker.js';
import { searchAttributes, userStateQuery } from '../../src/workflows/definitions.js';
import type { ReconcileSummary, reconcileWorkflow } from '../../src/workflows/reconcile.js';
import { createGroup } from './directory.js';
import { workflowBundle } from './temporal.js';
import { integrationAccount } from './accounts.js';

const ldapPassword = (slapd: RunningSlapd) => slapd.readerPassword;

export interface StackOptions {
  /** sys_user records that exist before the first reconcile. */
  readonly accounts?: Array<Record<string, string | boolean>>;
  /** A whole directory to load at start (e.g. a generated sample) and its scope group's DN. */
  readonly directory?: { readonly ldif: string; readonly scopeGroup: string };
  /** How long a reconcile waits for its users to finish; default one minute. */
  readonly settleTimeoutMs?: number;
  /** Changes to the configuration file, merged over the defaults. */
  readonly config?: Record<string, unknown>;
  /** How slapd is started (a size limit, fault injection, access rules, an idle timeout). */
  readonly slapd?: SlapdOptions;
  /** The worker's logger; warnings only by default. A test may pass one that reacts to a log line. */
  readonly log?: Logger;
  /** How the emulator starts besides its accounts and records (OAuth applications, faults). */
  readonly emulator?: Omit<EmulatorOptions, 'accounts' | 'records'>;
  /** The counters the worker keeps, for a test of the metrics endpoint. */
  readonly metrics?: ProvisioningMetrics;
}

/** A real slapd, the emulator over HTTP and a worker on the file's Temporal dev server, for one test. */
export interface Stack {
  readonly slapd: RunningSlapd;
  readonly emulator: RunningEmulator;
  readonly config: Config;
  readonly scopeGroup: string;
  reconcile(): Promise<ReconcileSummary>;
  /** Starts a reconcile without waiting for it (to signal it while it runs). */
  startReconcile(): Promise<WorkflowHandle<typeof reconcileWorkflow>>;
  /** Replaces the worker with one running a changed configuration (e.g. another filter). */
  reconfigure(changes: Record<string, unknown>): Promise<void>;
  /** The sys_user record whose user_name equals `userName` case-insensitively; fails if several. */
  account(userName: string): Record<string, string> | undefined;
  /** Writes (POST, PUT, PATCH, DELETE) the emulator has received since the stack started. */
  writes(): RequestLogEntry[];
  /** This stack's users in the failed state, each with its last error, as the user workflow tells it. */
  failedUsers(): Promise<FailedUser[]>;
  stop(): Promise<void>;
}

/** A user workflow in the failed state. */
export interface FailedUser {
  readonly workflowId: string;
  readonly userName: string | undefined;
  readonly lastError: { readonly type: string; readonly message: string } | undefined;
}

export async function startStack(
  temporal: TestWorkflowEnvironment,
  options: StackOptions = {},
): Promise<Stack> {
  const slapd = await startSlapd({
    ...options.slapd,
    ...(options.directory ? { ldif: options.directory.ldif } : {}),
  });
  const scopeGroup = options.directory?.scopeGroup ?? (await createGroup(slapd, 'servicenow-users', []));
  const emulator = await startEmulator({
    ...options.emulator,
    accounts: [integrationAccount],
    records: options.accounts ?? [],
  });
  const taskQueue = `test-${randomUUID()}`;
  const log = options.log ?? createLogger({ level: 'warn' });

  const baseConfig = {
    directory: {
      type: 'openldap',
      url: slapd.url,
      bindDn: slapd.readerDn,
      bindPassword: { env: 'TEST_LDAP_PASSWORD' },
      baseDn: slapd.peopleDn,
      groups: [scopeGroup],
    },
    servicenow: {
      instanceUrl: emulator.url,
      auth: { type: 'basic', username: integrationAccount.userName, password: { env: 'TEST_SN_PASSWORD' } },
    },
    mapping: { fields: { first_name: 'givenName', last_name: 'sn', email: 'mail', title: 'title' } },
    temporal: { address: temporal.address, namespace: 'default', taskQueue },
    reconcile: { settleTimeout: '60s' },
    logging: { level: 'warn' },
  };
  const env = { TEST_LDAP_PASSWORD: ldapPassword(slapd), TEST_SN_PASSWORD: integrationAccount.password };
  const configFrom = (changes: Record<string, unknown>) =>
    parseConfig(stringify(merge(baseConfig, changes)), 'test configuration', env);

  let config = configFrom(options.config ?? {});
  const startReconcile = () =>
    temporal.client.workflow.start<typeof reconcileWorkflow>('reconcileWorkflow', {
      workflowId: `reconcile-${randomUUID()}`,
      taskQueue,
      args: [{ settleTimeoutMs: options.settleTimeoutMs ?? 60_000 }],
    });
  let worker = await startWorker(config, log, options.metrics);

  return {
    slapd,
    emulator,
    scopeGroup,
    get config() {
      return config;
    },
    reconcile: async () => (await startReconcile()).result(),
    startReconcile,
    async reconfigure(changes) {
      await stopWorker(worker);
      config = configFrom(merge(options.config ?? {}, changes));
      worker = await startWorker(config, log, options.metrics);
    },
    account(userName) {
      const found = emulator
        .records('sys_user')
        .filter((r) => r.user_name?.toLowerCase() === userName.toLowerCase());
      if (found.length > 1) throw new Error(`${found.length} accounts named ${userName}`);
      return found[0];
    },
    writes: () => emulator.requestLog().filter((e) => e.method !== 'GET'),
    async failedUsers() {
      const failed: FailedUser[] = [];
      const query = `TaskQueue = '${taskQueue}' AND ${searchAttributes.state.name} = 'failed'`;
      for await (const execution of temporal.client.workflow.list({ query })) {
        const view = await temporal.client.workflow.getHandle(execution.workflowId).query(userStateQuery);
        failed.push({ workflowId: execution.workflowId, userName: view.userName, lastError: view.lastError });
      }
      return failed;
    },
    async stop() {
      await stopWorker(worker);
      await emulator.close();
      await slapd.stop();
    },
  };
}

interface StartedWorker {
  readonly worker: ProvisioningWorker;
  readonly running: Promise<void>;
}

async function startWorker(
  config: Config,
  log: Logger,
  metrics?: ProvisioningMetrics,
): Promise<StartedWorker> {
  const worker = await createProvisioningWorker(config, { log, metrics, workflowBundle: workflowBundle() });
  return { worker, running: worker.run() };
}

async function stopWorker({ worker, running }: StartedWorker): Promise<void> {
  worker.shutdown();
  await running;
}

function merge(base: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(changes)) {
    const current = result[key];
    // A secret reference ({ env } or { file }) replaces the one before it: merged, it would name two sources.
    const replaces = !isPlainObject(value) || 'env' in value || 'file' in value;
    result[key] = isPlainObject(current) && !replaces ? merge(current, value) : value;
  }
  return result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
