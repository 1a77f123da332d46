import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { changesReconcileId } from '../../src/activities/change-pass.js';
import type { Config } from '../../src/config/load.js';
import { createLogger } from '../../src/log.js';
import { createProvisioningWorker, type ProvisioningWorker } from '../../src/workers/worker.js';
import {
  watcherStatusQuery,
  watcherWorkflowId,
  type WatcherStatus,
} from '../../src/workflows/watcher-definitions.js';
import { addPerson, addToGroup, modifyPerson, removeFromGroup } from '../helpers/directory.js';
import { eventually } from '../helpers/eventually.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { startTemporal, workflowBundle } from '../helpers/temporal.js';

/**
 * Incremental detection end to end, on a real slapd, the emulator and a Temporal dev server: with
 * `directory.incremental.enabled` the worker starts the directory watcher, and each change reaches
 * ServiceNow without any full reconcile.
 */
let temporal: TestWorkflowEnvironment;
let stack: Stack | undefined;
const extraWorkers: Array<{ worker: ProvisioningWorker; running: Promise<void> }> = [];

/** Generous: the machine is shared and slow; the watcher itself polls every second. Each test waits on a few in a row. */
const timeoutMs = 90_000;
const incrementalOn = { directory: { incremental: { enabled: true, pollInterval: '1s', lookback: '3s' } } };

beforeAll(async () => {
  temporal = await startTemporal();
});
afterAll(async () => {
  await temporal?.teardown();
});
afterEach(async () => {
  for (const { worker, running } of extraWorkers.splice(0)) {
    worker.shutdown();
    await running;
  }
  const writes = stack?.writes() ?? [];
  await stack?.stop();
  stack = undefined;
  expect(writes.filter((w) => w.method === 'DELETE')).toEqual([]);
});

const status = (taskQueue: string): Promise<WatcherStatus> =>
  temporal.client.workflow.getHandle(watcherWorkflowId(taskQueue)).query(watcherStatusQuery);

/** Waits until the watcher has read the scope and polls: changes before that are the full reconcile's. */
async function watching(taskQueue: string): Promise<WatcherStatus> {
  return eventually(async () => {
    const now = await status(taskQueue);
    expect(now.watching).toBe(true);
    return now;
  }, timeoutMs);
}

async function given(): Promise<Stack> {
  stack = await startStack(temporal, { config: incrementalOn });
  await watching(stack.config.temporal.taskQueue);
  return stack;
}

async function hire(s: Stack, uid: string): Promise<string> {
  const dn = await addPerson(s.slapd, { uid, givenName: 'Pat', sn: `Person-${uid}`, title: 'Engineer' });
  await addToGroup(s.slapd, 'servicenow-users', dn);
  return dn;
}

/** Proof that no full reconcile ran on this task queue: none was started, by the watcher or anyone. */
async function expectNoReconcile(taskQueue: string): Promise<void> {
  const started = temporal.client.workflow.getHandle(changesReconcileId(taskQueue)).describe();
  await expect(started).rejects.toBeInstanceOf(WorkflowNotFoundError);
  const query = `WorkflowType = 'reconcileWorkflow' AND TaskQueue = '${taskQueue}'`;
  expect((await temporal.client.workflow.count(query)).count).toBe(0);
  expect((await status(taskQueue)).fullReconciles).toBe(0);
}

describe('incremental detection', () => {
  test('brings a changed mapped attribute to ServiceNow without starting a reconcile', async () => {
    const s = await given();
    await hire(s, 'ivy');
    await eventually(
      () => expect(s.account('ivy')).toMatchObject({ title: 'Engineer', active: 'true' }),
      timeoutMs,
    );

    await modifyPerson(s.slapd, 'ivy', { title: 'Principal Engineer' });

    await eventually(
      () => expect(s.account('ivy')).toMatchObject({ title: 'Principal Engineer' }),
      timeoutMs,
    );
    await expectNoReconcile(s.config.temporal.taskQueue);
  }, 300_000);

  test('keeps no user’s data in the watcher’s history, only watermarks and counts', async () => {
    const s = await given();
    await hire(s, 'private');
    await eventually(() => expect(s.account('private')).toMatchObject({ active: 'true' }), timeoutMs);
    const { taskQueue } = s.config.temporal;
    await eventually(async () => expect((await status(taskQueue)).dispatched).toBe(1), timeoutMs);

    const handle = temporal.client.workflow.getHandle(watcherWorkflowId(taskQueue));
    const payloads = payloadText(await handle.fetchHistory());
    expect(payloads).toContain('entryCSN');
    for (const personal of ['private', 'Person-private', s.slapd.peopleDn]) {
      expect(payloads).not.toContain(personal);
    }
  }, 300_000);

  test('creates the account of a user added to the scope group', async () => {
    const s = await given();
    await hire(s, 'newcomer');

    await eventually(
      () => expect(s.account('newcomer')).toMatchObject({ last_name: 'Person-newcomer', active: 'true' }),
      timeoutMs,
    );
    expect(s.writes().filter((w) => w.method === 'POST')).toHaveLength(1);
    await expectNoReconcile(s.config.temporal.taskQueue);
  }, 300_000);

  test('disables the account of a user removed from the scope group', async () => {
    const s = await given();
    await hire(s, 'stayer');
    const leaver = await hire(s, 'leaver');
    await eventually(() => expect(s.account('leaver')).toMatchObject({ active: 'true' }), timeoutMs);

    await removeFromGroup(s.slapd, 'servicenow-users', leaver);

    await eventually(() => expect(s.account('leaver')).toMatchObject({ active: 'false' }), timeoutMs);
    expect(s.account('stayer')).toMatchObject({ active: 'true' });
    await expectNoReconcile(s.config.temporal.taskQueue);
  }, 300_000);

  test('writes nothing when an attribute no mapping uses changes', async () => {
    const s = await given();
    await hire(s, 'quiet');
    await eventually(
      () => expect(s.account('quiet')).toMatchObject({ first_name: 'Pat', active: 'true' }),
      timeoutMs,
    );
    const { taskQueue } = s.config.temporal;
    const before = await eventually(async () => {
      const now = await status(taskQueue);
      expect(now.dispatched).toBeGreaterThanOrEqual(1);
      return now;
    }, timeoutMs);
    const writes = s.writes().length;

    await modifyPerson(s.slapd, 'quiet', { description: 'not mapped anywhere' });
    await eventually(async () => {
      expect((await status(taskQueue)).usersChanged).toBeGreaterThan(before.usersChanged);
    }, timeoutMs);
    // The user's workflow writes after the watcher signals it, one change after the other: a mapped
    // change made now reaches ServiceNow after anything the unmapped one could have caused.
    await modifyPerson(s.slapd, 'quiet', { title: 'Fence' });
    await eventually(() => expect(s.account('quiet')).toMatchObject({ title: 'Fence' }), timeoutMs);

    expect(s.writes().slice(writes)).toEqual([
      expect.objectContaining({ method: 'PATCH', body: { title: 'Fence' } }),
    ]);
  }, 300_000);
});

describe('a watcher whose worker restarts', () => {
  test('resumes from its watermark and brings a change made while no worker ran to ServiceNow', async () => {
    // The stack's own worker runs without incremental detection; the watcher runs on workers of its own.
    stack = await startStack(temporal);
    const s = stack;
    // No look-back: a watcher that started afresh at the latest change would miss the one made meanwhile.
    const config: Config = {
      ...s.config,
      directory: {
        ...s.config.directory,
        incremental: { enabled: true, pollInterval: '1s', lookback: '0s' },
      },
      temporal: { ...s.config.temporal, taskQueue: `test-${randomUUID()}` },
    };
    const { taskQueue } = config.temporal;
    const first = await startWatchingWorker(config);
    await watching(taskQueue);
    await hire(s, 'nightshift');
    await eventually(() => expect(s.account('nightshift')).toMatchObject({ active: 'true' }), timeoutMs);

    await stopWorker(first);
    await modifyPerson(s.slapd, 'nightshift', { title: 'Changed while no worker ran' });
    await addPerson(s.slapd, { uid: 'outsider', givenName: 'Out', sn: 'Sider' });
    await startWatchingWorker(config);

    await eventually(
      () => expect(s.account('nightshift')).toMatchObject({ title: 'Changed while no worker ran' }),
      timeoutMs,
    );
    // A lost watermark would have started a full reconcile to cover the gap.
    await expectNoReconcile(taskQueue);
    expect((await status(taskQueue)).sessions).toBe(1);
  }, 300_000);
});

/** Every payload in a workflow history, decoded as text. */
function payloadText(history: unknown): string {
  const texts: string[] = [];
  const visit = (value: unknown): void => {
    if (value instanceof Uint8Array) texts.push(Buffer.from(value).toString('utf8'));
    else if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(visit);
  };
  visit(history);
  return texts.join('\n');
}

async function startWatchingWorker(config: Config) {
  const worker = await createProvisioningWorker(config, {
    log: createLogger({ level: 'warn' }),
    workflowBundle: workflowBundle(),
  });
  const started = { worker, running: worker.run() };
  extraWorkers.push(started);
  return started;
}

async function stopWorker(started: { worker: ProvisioningWorker; running: Promise<void> }): Promise<void> {
  extraWorkers.splice(extraWorkers.indexOf(started), 1);
  started.worker.shutdown();
  await started.running;
}
