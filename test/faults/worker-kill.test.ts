import { eventually } from '../helpers/eventually.js';
import { recordCase } from './helpers/case-results.js';
import { compareWithExpected, expectedAfterReconcile, samplePeople } from './helpers/expected-state.js';
import { FaultStack } from './helpers/fault-stack.js';

let stack: FaultStack | undefined;

afterAll(async () => {
  await stack?.stop();
});

/** Shares of the expected accounts after which the worker is killed, mid-provisioning each time. */
const killPoints = [0.05, 0.2, 0.35];

test('repeated kill -9 of the worker during the initial provisioning of 2,000 users creates each account exactly once', async () => {
  const started = Date.now();
  const s = (stack = await FaultStack.start({ people: 2_850, seed: 2_000 }));
  const preexisting = await s.servicenow.users();
  const expected = expectedAfterReconcile(samplePeople(s.sample), preexisting);
  expect(expected.managed.size).toBeGreaterThanOrEqual(2_000);

  const run = await s.startReconcile();
  for (const share of killPoints) {
    const target = preexisting.length + Math.round(share * expected.managed.size);
    await eventually(async () => {
      const count = await s.servicenow.userCount();
      if (count < target) throw new Error(`${count} accounts, waiting for ${target}`);
    }, 10 * 60_000);
    await s.worker.kill();
    await s.worker.start();
  }
  const summary = await run.result();

  const differences = compareWithExpected(await s.servicenow.users(), expected);
  recordCase({
    name: '1. worker kill -9',
    faults: [`${s.worker.kills} × SIGKILL of the worker mid-provisioning`, `${s.worker.starts - 1} restarts`],
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
  // The last attempt of the reconcile's dispatch waited for every user it signalled.
  expect(summary.outcome).toEqual({ settled: summary.dispatched, failed: 0, unsettled: 0 });
  expect(s.worker.kills).toBe(killPoints.length);
});
