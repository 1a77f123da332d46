import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { compiledScript } from '../../src/bench/compiled.js';
import { missingKeys, requiredKeys } from '../../src/bench/results.js';

/**
 * `npm run bench` end to end at a tiny size: every case runs on its own slapd, Temporal dev server,
 * emulator and worker processes, as in a full run, only with a handful of users.
 */
const run = promisify(execFile);
const tinySizes = {
  initial: 8,
  link: 8,
  budgetUsers: 8,
  budgetLimit: 50,
  noChange: 16,
  latencyChanges: 2,
  latencyPeople: 4,
};

let workDir: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'bench-test-'));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

test('a run of every case writes each figure the published results are read by', async () => {
  const out = join(workDir, 'results.json');
  const sets = Object.entries(tinySizes).flatMap(([size, n]) => ['--set', `${size}=${n}`]);
  await run(process.execPath, [compiledScript('bench/main.js'), '--quick', ...sets, '--out', out], {
    maxBuffer: 16 << 20,
  });
  const results = JSON.parse(await readFile(out, 'utf8')) as Record<string, Record<string, number>>;

  expect(missingKeys(results)).toEqual([]);
  expect(results.sizes).toEqual(tinySizes);
  expect(results.initial).toMatchObject({ users: 8, writes: 8, failed: 0 });
  expect(results.noChange).toMatchObject({ users: 16, writes: 0, signals: 0 });
  expect(results.budget).toMatchObject({ failedUsers: 0, duplicates: 0 });
  expect(results.footprint).toMatchObject({ openWorkflows: 16 });
}, 240_000);

test('a figure that is absent, or was not a number when written, counts as missing', () => {
  const complete = Object.fromEntries(requiredKeys.map((key) => [key, 1]));
  const nested = (flat: Record<string, unknown>) => {
    const tree: Record<string, Record<string, unknown>> = {};
    for (const [key, value] of Object.entries(flat)) {
      const [group, name] = key.split('.') as [string, string];
      (tree[group] ??= {})[name] = value;
    }
    return JSON.parse(JSON.stringify(tree)) as unknown;
  };
  const { 'growth.perUserRatio': _dropped, ...withoutGrowth } = complete;

  expect(missingKeys(nested(complete))).toEqual([]);
  expect(missingKeys(nested(withoutGrowth))).toEqual(['growth.perUserRatio']);
  expect(missingKeys(nested({ ...complete, 'latency.p95S': Number.NaN }))).toEqual(['latency.p95S']);
});

test.each([
  [['--set', 'noChange=abc'], '--set noChange=abc: expected <size>=<whole number above 0>'],
  [['--set', 'noChange=-5'], '--set noChange=-5: expected'],
  [['--set', 'toString=3'], '--set toString=3: expected'],
  [['--only', 'bogus'], 'unknown case bogus; the cases are initial'],
])('a wrong command line %j exits 2 with what is wrong, before starting anything', async (args, message) => {
  const failure = await run(process.execPath, [compiledScript('bench/main.js'), ...args]).then(
    () => undefined,
    (error: unknown) => error as { code: number; stderr: string },
  );
  expect(failure).toMatchObject({ code: 2 });
  expect(failure!.stderr).toContain(message);
  expect(failure!.stderr).not.toMatch(/^\s+at /m);
});
