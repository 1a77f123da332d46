import { recordCase } from './helpers/case-results.js';
import { DirectoryModel } from './helpers/directory-model.js';
import {
  addDifferences,
  compareWithExpected,
  expectedAfterReconcile,
  type Differences,
} from './helpers/expected-state.js';
import { FaultStack } from './helpers/fault-stack.js';
import { failedAttempt } from './helpers/reconcile-attempts.js';

let stack: FaultStack | undefined;

afterAll(async () => {
  await stack?.stop();
});

const none = { duplicates: 0, missing: 0, wrongActive: 0, wrongFields: 0, unexpected: 0 };

/** The page of the user scan after which slapd is killed: the scan reads one entry per page. */
const cutAfterPage = 100;

test('slapd killed in the middle of a scan, or down when a reconcile starts, disables nobody; the reconcile after it comes back applies every change once', async () => {
  const started = Date.now();
  // One entry per page makes the scan a few hundred round trips long, so slapd dies in the middle of it.
  const s = (stack = await FaultStack.start({
    people: 600,
    seed: 3_000,
    config: { directory: { pageSize: 1 }, logging: { level: 'debug' } },
  }));
  const preexisting = await s.servicenow.users();
  const directory = new DirectoryModel(s.slapd, s.sample);
  const provisioned = expectedAfterReconcile(directory.current(), preexisting);
  await s.reconcile();
  expect(compareWithExpected(await s.servicenow.users(), provisioned)).toMatchObject(none);

  const changes = await directory.change('scan', { retitled: 20, leavers: 5, locked: 3, deleted: 2 });
  const expected = expectedAfterReconcile(directory.current(), preexisting, provisioned);
  const since = await s.servicenow.lastSeq();

  // A reconcile whose scan is cut off: its attempt fails, and nothing is written.
  const pageRead = s.worker.nextLog((l) => l.msg === 'directory page read' && l.page === cutAfterPage);
  const cutRun = await s.startReconcile();
  await pageRead;
  await s.slapd.kill();
  const cut = await failedAttempt(cutRun, 1);
  const retried = await failedAttempt(cutRun, 2);

  // A reconcile that starts while slapd is down, with every user managed.
  const downRun = await s.startReconcile();
  const down = await failedAttempt(downRun, 1);
  const writesWhileDown = (await s.servicenow.productRequests(since)).filter((e) => e.method !== 'GET');
  const whileDown = compareWithExpected(await s.servicenow.users(), provisioned);
  await cutRun.terminate('the fault suite has seen it fail');
  await downRun.terminate('the fault suite has seen it fail');

  await s.slapd.restart();
  const summary = await s.reconcile();
  const afterRecovery = compareWithExpected(await s.servicenow.users(), expected);

  const seconds = (Date.now() - started) / 1000;
  record(
    '3a. slapd killed mid-scan',
    seconds,
    expected.managed.size,
    addDifferences(whileDown, afterRecovery),
    [
      `slapd SIGKILL after page ${cutAfterPage} of the user scan`,
      `attempt ${cut.attempt}: ${cut.type} at ${/page \d+/.exec(cut.message)?.[0]}`,
      `attempt ${retried.attempt}: ${retried.type}`,
      `${writesWhileDown.length} writes while slapd was down`,
      `then restarted; ${changes} applied`,
    ],
  );
  record('3b. slapd down, users managed', seconds, provisioned.managed.size, whileDown, [
    `slapd down when a reconcile starts, ${provisioned.managed.size} users managed`,
    `attempt ${down.attempt}: ${down.type}`,
    `${writesWhileDown.length} writes, so no wrong disable`,
  ]);

  expect(cut).toMatchObject({ attempt: 1, type: 'Directory:incomplete-read' });
  expect(cut.message).toMatch(/page \d+/);
  expect(retried.type).toBe('Directory:unreachable');
  expect(down).toMatchObject({ attempt: 1, type: 'Directory:unreachable' });
  expect(writesWhileDown).toEqual([]);
  expect(whileDown).toMatchObject(none);
  expect(afterRecovery).toMatchObject(none);
  expect(summary.planned).toMatchObject({ disable: 10 });
  expect(summary.outcome).toEqual({ settled: summary.dispatched, failed: 0, unsettled: 0 });
});

function record(name: string, seconds: number, users: number, differences: Differences, faults: string[]) {
  recordCase({ name, faults, users, differences, seconds });
}
