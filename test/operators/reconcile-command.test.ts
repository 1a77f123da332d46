import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { exitCodes } from '../../src/cli/exit-codes.js';
import { runReconcileCommand } from '../../src/cli/reconcile-command.js';
import type { ReconcileSummary } from '../../src/workflows/reconcile.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { startTemporal } from '../helpers/temporal.js';
import { captureOutput, hire } from './helpers.js';

/** `provisioner reconcile` without a terminal: progress as plain lines, then the run's summary. */
let temporal: TestWorkflowEnvironment;
let stack: Stack;

beforeAll(async () => {
  temporal = await startTemporal();
  stack = await startStack(temporal, { accounts: [{ user_name: 'cat', first_name: 'C', last_name: 'At' }] });
  for (const uid of ['ann', 'bob', 'cat']) await hire(stack.slapd, uid);
});
afterAll(async () => {
  await stack?.stop();
  await temporal?.teardown();
});

test('reports the stages with their counts as plain lines, ending with every user done, then the summary', async () => {
  const out = captureOutput();
  const progress = captureOutput();

  const code = await runReconcileCommand(stack.config, { wait: true, json: false }, { out, progress });

  expect(code).toBe(exitCodes.ok);
  const lines = progress.text().trim().split('\n');
  expect(lines.length).toBeGreaterThanOrEqual(2);
  expect(lines.at(-1)).toMatch(
    /^reconcile reconcile-manual-\S+: done; read 3 directory users, \d+ ServiceNow accounts, 0 managed users; 3 dispatched, 3 done$/,
  );
  expect(out.text()).toMatch(/decided +create 2, link 1, update 0, enable 0, disable 0, in step 0/);
  expect(out.text()).toMatch(/outcome +3 of 3 dispatched users done, 0 failed, 0 still running/);
}, 120_000);

test('prints the summary as JSON with --json, the same figures a script can read', async () => {
  const out = captureOutput();

  await runReconcileCommand(stack.config, { wait: true, json: true }, { out, progress: captureOutput() });

  const summary = JSON.parse(out.text()) as ReconcileSummary;
  expect(summary).toMatchObject({
    managedUsers: 3,
    inStep: 3,
    dispatched: 0,
    planned: { create: 0, link: 0 },
  });
  expect(summary.workflowId).toMatch(/^reconcile-manual-/);
  expect(summary.reconcileId).not.toBe(summary.workflowId);
}, 120_000);

test('only starts the reconcile with --no-wait, and says which', async () => {
  const out = captureOutput();

  await runReconcileCommand(stack.config, { wait: false, json: false }, { out, progress: captureOutput() });

  const [, workflowId] = /^started (reconcile-manual-\S+)\n$/.exec(out.text()) ?? [];
  expect(workflowId).toBeDefined();
  await temporal.client.workflow.getHandle(workflowId!).result();
}, 120_000);
