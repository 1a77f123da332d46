import type { FaultSettings, RequestLogEntry } from '../../src/emulator/index.js';
import { generateSampleDirectory, type SamplePerson } from '../../src/dev/sample-directory.js';
import { recordCase } from './helpers/case-results.js';
import { DirectoryModel, type DirectoryChanges } from './helpers/directory-model.js';
import {
  addDifferences,
  compareWithExpected,
  expectedAfterReconcile,
  type Differences,
  type ExpectedState,
} from './helpers/expected-state.js';
import { FaultStack } from './helpers/fault-stack.js';
import { countFaults } from './helpers/servicenow-view.js';

/**
 * ServiceNow misbehaving while the product writes to it, one kind of fault per case, on one stack:
 * each case changes the directory (new titles, leavers, locks, deletions, hires) and reconciles
 * under its fault; the first also provisions everyone and links accounts that already exist.
 */
const people = 300;
const seed = 5_000;

let stack: FaultStack | undefined;
let directory: DirectoryModel;
let preexisting: Array<Record<string, string>>;
/** What ServiceNow holds after the last case that ran; empty before the first. */
let expected: ExpectedState | undefined;

beforeAll(async () => {
  const sample = generateSampleDirectory({ suffix: 'dc=example,dc=com', people, seed });
  stack = await FaultStack.start({
    people,
    seed,
    accounts: existingAccounts(sample.people, sample.groupDns),
  });
  directory = new DirectoryModel(stack.slapd, stack.sample);
  preexisting = await stack.servicenow.users();
});

afterAll(async () => {
  await stack?.stop();
});

const none = { duplicates: 0, missing: 0, wrongActive: 0, wrongFields: 0, unexpected: 0 };

test('20 % of requests answered 500 or 503 during the initial provisioning and a round of changes end with ServiceNow exactly as expected', async () => {
  const result = await underFaults({ errorRate: 0.2, seed: 41 }, [
    { tag: 'five', changes: { retitled: 15, leavers: 4, locked: 2, deleted: 1, hires: 6 } },
  ]);

  recordCase({
    name: '4. ServiceNow 20 % 5xx',
    faults: [`${result.faults.error5xx} requests answered 500/503 of ${result.requests}`, ...result.rounds],
    ...result.row,
  });
  expect(result.faults.error5xx).toBeGreaterThan(100);
  expect(result.refusedAsDuplicate).toBe(0);
  expect(result.row.differences).toMatchObject(none);
});

test('a 429 storm, with Retry-After, during a round of changes ends with ServiceNow exactly as expected', async () => {
  const result = await underFaults({ rateLimit: { requestsPerSecond: 5 }, seed: 42 }, [
    { tag: 'storm', changes: { retitled: 30, leavers: 4, locked: 2, deleted: 1, hires: 10 } },
  ]);

  recordCase({
    name: '5. ServiceNow 429 storm',
    faults: [
      `${result.faults.rateLimited} requests answered 429 with Retry-After of ${result.requests} (limit 5/s)`,
      ...result.rounds,
    ],
    ...result.row,
  });
  expect(result.faults.rateLimited).toBeGreaterThan(50);
  expect(result.refusedAsDuplicate).toBe(0);
  expect(result.row.differences).toMatchObject(none);
});

test('creates and updates committed but answered 500 end with ServiceNow exactly as expected', async () => {
  const result = await underFaults({ commitThen500: 0.3, seed: 43 }, [
    { tag: 'commit', changes: { retitled: 15, leavers: 4, locked: 2, deleted: 1, hires: 20 } },
  ]);

  recordCase({
    name: '6. ServiceNow commit-then-500',
    faults: [
      `${result.faults.commitThen500Post} POST and ${result.faults.commitThen500Patch} PATCH applied, then answered 500`,
      ...result.rounds,
    ],
    ...result.row,
  });
  expect(result.faults.commitThen500Post).toBeGreaterThan(0);
  expect(result.faults.commitThen500Patch).toBeGreaterThan(0);
  expect(result.refusedAsDuplicate).toBe(0);
  expect(result.row.differences).toMatchObject(none);
});

interface Round {
  readonly tag: string;
  readonly changes: DirectoryChanges;
}

/**
 * Turns the faults on and runs one reconcile (the initial provisioning, when no case ran before),
 * then one per round of directory changes; compares ServiceNow with the expected state after each.
 */
async function underFaults(faults: Partial<FaultSettings>, rounds: readonly Round[]) {
  const s = stack!;
  const started = Date.now();
  const since = await s.servicenow.lastSeq();
  const described: string[] = [];
  const differences: Differences[] = [];

  // Reading ServiceNow to compare turns the faults off; the seed is given once, so the reconciles
  // of one case do not replay the same sequence of faults.
  const { seed: _seed, ...again } = faults;
  await s.servicenow.setFaults(faults);
  const reconcile = async (description: string) => {
    await s.servicenow.setFaults(again);
    const summary = await s.reconcile();
    expected = expectedAfterReconcile(directory.current(), preexisting, expected);
    differences.push(compareWithExpected(await s.servicenow.users(), expected));
    described.push(description);
    expect(summary.outcome).toEqual({ settled: summary.dispatched, failed: 0, unsettled: 0 });
  };

  if (expected === undefined) await reconcile(`initial provisioning, ${preexistingLinks} accounts to link`);
  for (const round of rounds) await reconcile(await directory.change(round.tag, round.changes));

  const log: RequestLogEntry[] = await s.servicenow.productRequests(since);
  return {
    faults: countFaults(log),
    requests: log.length,
    refusedAsDuplicate: log.filter((e) => e.status === 403).length,
    rounds: described,
    row: {
      users: expected!.managed.size,
      differences: addDifferences(...differences),
      seconds: (Date.now() - started) / 1000,
    },
  };
}

const preexistingLinks = 16;

/**
 * Accounts that predate the product: some for people in scope (user names in upper case, an old
 * title, a few inactive), which it links and brings in line, and some for people out of scope,
 * which it must never touch.
 */
function existingAccounts(
  all: readonly SamplePerson[],
  groups: { scope: string; nested: readonly string[] },
): Array<Record<string, string | boolean>> {
  const inScope = (p: SamplePerson) => p.groups.some((g) => g === groups.scope || groups.nested.includes(g));
  const account = (p: SamplePerson, i: number) => ({
    user_name: i % 2 === 0 ? p.uid.toUpperCase() : p.uid,
    first_name: p.givenName,
    last_name: p.sn,
    email: p.mail,
    title: 'Title before the product',
    active: i % 5 !== 0,
  });
  // From the end of the list: the directory changes pick people from its start.
  const linked = all.filter(inScope).slice(-preexistingLinks);
  const outside = all.filter((p) => !inScope(p)).slice(0, 4);
  return [...linked.map(account), ...outside.map(account)];
}
