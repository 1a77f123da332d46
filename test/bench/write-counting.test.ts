import { randomUUID } from 'node:crypto';
import { cpus, tmpdir } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startBenchStack, type BenchStack } from '../../src/bench/bench-stack.js';
import { userWorkflowCalls } from '../../src/bench/cases/no-change.js';
import { historySize } from '../../src/bench/history.js';
import { measureWindow } from '../../src/bench/window.js';

/**
 * The benchmark counts what reached ServiceNow from the emulator's request log and what reached
 * Temporal from the dev server's counters, not from anything the product reports about itself: so
 * a write or a signal made behind the product's back, with its own credentials, is counted too.
 */
let workDir: string;
let stack: BenchStack;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'bench-window-test-'));
  stack = await startBenchStack({ workDir, people: 3, sqlitePragmas: ['journal_mode=wal'] });
  await stack.reconcile();
}, 180_000);
afterAll(async () => {
  await stack?.stop();
  await rm(workDir, { recursive: true, force: true });
});

test('a no-change reconcile window counts the writes and signals made behind the product’s back', async () => {
  let reconcileId = '';
  const window = await measureWindow(
    stack,
    cpus().length,
    async () => {
      const handle = await stack.startReconcile();
      reconcileId = handle.workflowId;
      await handle.result();
      await behindTheBack(stack);
    },
    { countTemporalCalls: true },
  );
  const reconcile = await historySize(stack.client, reconcileId);

  expect(window.writes).toBe(2);
  expect(window.requests.filter((r) => r.method === 'PATCH')).toEqual([
    expect.objectContaining({ user: 'svc.provisioning', status: 200, body: { title: 'Changed by hand' } }),
    expect.objectContaining({ user: 'svc.provisioning', status: 200, body: { title: 'Changed by hand' } }),
  ]);
  expect(userWorkflowCalls(window, reconcile.signals)).toBe(1);
}, 120_000);

/** Two title changes with the product's own account, and one signal-with-start of some other workflow. */
async function behindTheBack(s: BenchStack): Promise<void> {
  const [first, second] = await s.emulator.userRecords();
  const authorization = `Basic ${Buffer.from(`svc.provisioning:${s.env.BENCH_SN_PASSWORD}`).toString('base64')}`;
  for (const row of [first!, second!]) {
    const response = await fetch(`${s.emulator.url}/api/now/table/sys_user/${row.sys_id}`, {
      method: 'PATCH',
      headers: { authorization, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ title: 'Changed by hand' }),
    });
    expect(response.status).toBe(200);
  }
  await s.client.workflow.signalWithStart('someOtherWorkflow', {
    workflowId: `elsewhere-${randomUUID()}`,
    taskQueue: `nobody-polls-${randomUUID()}`,
    signal: 'poke',
    signalArgs: [],
  });
}
