import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { freePort, terminate } from '../../src/dev/processes.js';
import { startSlapd, type RunningSlapd } from '../../src/dev/slapd.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import type { reconcileWorkflow } from '../../src/workflows/reconcile.js';
import { integrationAccount } from '../helpers/accounts.js';
import { createGroup, removeFromGroup } from '../helpers/directory.js';
import { startTemporal, type TemporalForTests } from '../helpers/temporal.js';
import { hire } from './helpers.js';

/**
 * `provisioner worker`, run as an operator runs it (the compiled CLI, a configuration file with
 * `metrics.listen` and `metrics.temporalListen`), serves the product's account counters and the
 * Temporal SDK's own worker metrics, each on its endpoint.
 */
const cli = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

let temporal: TemporalForTests;
let slapd: RunningSlapd;
let emulator: RunningEmulator;
let worker: ChildProcess | undefined;
let workDir: string;

beforeAll(async () => {
  [temporal, slapd, emulator] = await Promise.all([
    startTemporal(),
    startSlapd(),
    startEmulator({
      accounts: [integrationAccount],
      records: [{ user_name: 'jsmith', first_name: 'J', last_name: 'Smith' }],
    }),
  ]);
  workDir = await mkdtemp(join(tmpdir(), 'metrics-test-'));
});

afterAll(async () => {
  if (worker) await terminate(worker, 'SIGTERM', 15_000);
  await Promise.all([temporal?.teardown(), slapd?.stop(), emulator?.close()]);
  await rm(workDir, { recursive: true, force: true });
});

test('the worker counts each account change and each refused user, and serves the Temporal SDK metrics', async () => {
  const scopeGroup = await createGroup(slapd, 'servicenow-users', []);
  const endpoints = {
    listen: `127.0.0.1:${await freePort()}`,
    temporalListen: `127.0.0.1:${await freePort()}`,
  };
  const taskQueue = `metrics-${randomUUID()}`;
  worker = await startWorkerProcess(scopeGroup, taskQueue, endpoints);
  for (const uid of ['jsmith', 'ann', 'bob']) await hire(slapd, uid);
  // A title longer than its 60 characters: ServiceNow would cut it, so the product refuses it, for good.
  await hire(slapd, 'wordy', { title: 'x'.repeat(61) });

  const refused = 'provisioner_account_failures_total{error_type="ServiceNowValueTooLong",retryable="false"}';
  await reconcile(taskQueue);
  const first = await scrape(endpoints.listen);
  expect(counter(first, 'provisioner_accounts_provisioned_total')).toBe(2);
  expect(counter(first, 'provisioner_accounts_linked_total')).toBe(1);
  expect(counter(first, 'provisioner_accounts_updated_total')).toBe(0);
  expect(counter(first, 'provisioner_accounts_disabled_total')).toBe(0);
  expect(counter(first, refused)).toBe(1);

  await removeFromGroup(slapd, 'servicenow-users', `uid=bob,${slapd.peopleDn}`);
  await reconcile(taskQueue);
  const product = await scrape(endpoints.listen);
  expect(counter(product, 'provisioner_accounts_disabled_total')).toBe(1);
  expect(counter(product, 'provisioner_accounts_provisioned_total')).toBe(2);
  // The next reconcile tries the refused user again (the column may have been widened meanwhile).
  expect(counter(product, refused)).toBe(2);
  expect(product).toMatch(/^process_resident_memory_bytes \d+/m);

  const sdk = await scrape(endpoints.temporalListen);
  expect(sdk).toMatch(/^temporal_activity_execution_latency\w*\{/m);
  expect(sdk).toContain(`task_queue="${taskQueue}"`);
  expect(sdk).not.toContain('provisioner_accounts');
}, 180_000);

async function startWorkerProcess(
  scopeGroup: string,
  taskQueue: string,
  metrics: { listen: string; temporalListen: string },
): Promise<ChildProcess> {
  const config = {
    directory: {
      type: 'openldap',
      url: slapd.url,
      bindDn: slapd.readerDn,
      bindPassword: { env: 'METRICS_LDAP_PASSWORD' },
      baseDn: slapd.peopleDn,
      groups: [scopeGroup],
    },
    servicenow: {
      instanceUrl: emulator.url,
      auth: {
        type: 'basic',
        username: integrationAccount.userName,
        password: { env: 'METRICS_SN_PASSWORD' },
      },
    },
    mapping: { fields: { first_name: 'givenName', last_name: 'sn', email: 'mail', title: 'title' } },
    temporal: { address: temporal.address, namespace: 'default', taskQueue },
    reconcile: { guard: { maxDisableShare: 1 } },
    metrics,
  };
  const file = join(workDir, 'provisioner.yaml');
  await writeFile(file, stringify(config));

  const child = spawn(process.execPath, [cli, '-c', file, 'worker', '--no-schedule'], {
    env: {
      PATH: process.env.PATH,
      LOG_FORMAT: 'json',
      METRICS_LDAP_PASSWORD: slapd.readerPassword,
      METRICS_SN_PASSWORD: integrationAccount.password,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"worker started"')) resolve();
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => reject(new Error(`the worker exited (${code}):\n${output}`)));
  });
  return child;
}

async function reconcile(taskQueue: string): Promise<void> {
  const handle = await temporal.client.workflow.start<typeof reconcileWorkflow>('reconcileWorkflow', {
    workflowId: `reconcile-${randomUUID()}`,
    taskQueue,
    args: [{ settleTimeoutMs: 60_000 }],
  });
  await handle.result();
}

async function scrape(address: string): Promise<string> {
  const response = await fetch(`http://${address}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

/** The value of the sample named exactly `sample` (name and labels), or undefined when absent. */
function counter(text: string, sample: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}
