import { setTimeout as delay } from 'node:timers/promises';
import { eventually } from '../helpers/eventually.js';
import { recordCase } from './helpers/case-results.js';
import { compareWithExpected, expectedAfterReconcile, samplePeople } from './helpers/expected-state.js';
import { FaultStack } from './helpers/fault-stack.js';

let stack: FaultStack | undefined;

afterAll(async () => {
  await stack?.stop();
});

/** Shares of the expected accounts after which the Temporal server is killed and started again. */
const killPoints = [0.25, 0.6];

/** How long the server stays down each time: the worker's polls and completions fail meanwhile. */
const downMs = 5_000;

test('the file-backed Temporal dev server killed and started again twice during the initial provisioning creates each account exactly once', async () => {
  const started = Date.now();
  const s = (stack = await FaultStack.start({ people: 1_200, seed: 4_000, temporalOnDisk: true }));
  const preexisting = await s.servicenow.users();
  const expected = expectedAfterReconcile(samplePeople(s.sample), preexisting);
  expect(expected.managed.size).toBeGreaterThanOrEqual(800);

  const run = await s.startReconcile();
  const pid = s.temporal.process.pid;
  const seenAtKill: number[] = [];
  for (const share of killPoints) {
    const target = preexisting.length + Math.round(share * expected.managed.size);
    await eventually(async () => {
      const count = await s.servicenow.userCount();
      if (count < target) throw new Error(`${count} accounts, waiting for ${target}`);
    }, 10 * 60_000);
    await s.temporal.kill();
    seenAtKill.push((await s.servicenow.userCount()) - preexisting.length);
    await delay(downMs);
    await s.temporal.restart();
  }
  const summary = await run.result();

  const differences = compareWithExpected(await s.servicenow.users(), expected);
  recordCase({
    name: '2. Temporal server restart',
    faults: [
      `${killPoints.length} × SIGKILL of the file-backed dev server, after ${seenAtKill.join(' and ')} accounts`,
      `down ${downMs / 1000} s each, restarted on the same port and database file`,
    ],
    users: expected.managed.size,
    differences,
    seconds: (Date.now() - started) / 1000,
  });
  expect(differences).toMatchObject({
    duplicates: 0,
    missing: 0,
    wrongActive: 0,
    wrongFields: 0,
    unexpected: 0,
  });
  expect(s.temporal.process.pid).not.toBe(pid);
  // Each kill landed in the middle of the provisioning, not after it.
  expect(Math.max(...seenAtKill)).toBeLessThan(expected.managed.size);
  expect(summary.outcome).toEqual({ settled: summary.dispatched, failed: 0, unsettled: 0 });
});
