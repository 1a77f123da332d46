import { cpus } from 'node:os';
import { join } from 'node:path';
import { startBenchStack, type BenchStackOptions } from './bench-stack.js';
import { measureBudget } from './cases/budget.js';
import { measureFootprint } from './cases/footprint.js';
import { measureLatency } from './cases/latency.js';
import { measureNoChange } from './cases/no-change.js';
import { measureProvisioning } from './cases/provisioning.js';
import { measureCeiling } from './ceiling/run.js';
import type { BenchResults } from './results.js';
import { pageSizes, type BenchSizes } from './sizes.js';

/** The cases a run can be limited to with `--only`. */
export const caseNames = ['initial', 'link', 'budget', 'scale', 'latency'] as const;
export type CaseName = (typeof caseNames)[number];

export interface RunOptions {
  readonly sizes: BenchSizes;
  readonly workDir: string;
  readonly cases: readonly CaseName[];
  readonly cpuProfileDir: string | undefined;
  /** SQLite pragmas of every dev server the run starts. */
  readonly sqlitePragmas: readonly string[];
  readonly log: (line: string) => void;
}

/** Runs the chosen cases one after another, each on servers of its own, and fills in `results`. */
export async function runCases(results: BenchResults, options: RunOptions): Promise<void> {
  const { sizes, log } = options;
  const cores = cpus().length;
  const stack = async (name: string, people: number, extra: Partial<BenchStackOptions> = {}) => {
    log(`${name}: starting slapd with ${people} people, a Temporal dev server, the emulator, the worker`);
    return startBenchStack({
      workDir: join(options.workDir, name),
      people,
      cpuProfileDir: options.cpuProfileDir,
      sqlitePragmas: options.sqlitePragmas,
      ...extra,
    });
  };
  const within = async <T>(s: Awaited<ReturnType<typeof stack>>, work: () => Promise<T>) => {
    try {
      return await work();
    } finally {
      await s.stop();
    }
  };

  let ceilingUsersPerS: number | undefined;
  if (options.cases.includes('initial') || options.cases.includes('link')) {
    log(`ceiling: ${sizes.initial} bare workflows`);
    const ceiling = await measureCeiling({
      workDir: join(options.workDir, 'ceiling'),
      workflows: sizes.initial,
      maxConcurrency: 16,
      cores,
      sqlitePragmas: options.sqlitePragmas,
    });
    ceilingUsersPerS = ceiling.workflowsPerS;
    log(`ceiling: ${ceiling.workflowsPerS.toFixed(1)} workflows/s`);

    if (options.cases.includes('initial')) {
      const s = await stack('initial', sizes.initial);
      await within(s, async () => {
        log('initial: provisioning');
        const initial = await measureProvisioning(s, cores);
        results.initial = {
          ...initial,
          ceilingUsersPerS: ceiling.workflowsPerS,
          ratio: initial.usersPerS / ceiling.workflowsPerS,
          ceiling,
        };
        log(`initial: ${initial.usersPerS.toFixed(1)} users/s; no-change reconcile`);
        const smaller = await measureNoChange(s, cores, pageSizes);
        const footprint = await measureFootprint(s);
        results.noChange = { ...smaller, smaller };
        results.footprint = { ...footprint, smaller: footprint };
      });
    }
  }

  if (options.cases.includes('link') && ceilingUsersPerS !== undefined) {
    const s = await stack('link', sizes.link, { existingAccounts: true });
    await within(s, async () => {
      log('link: linking');
      const link = await measureProvisioning(s, cores);
      results.link = {
        ...link,
        ceilingUsersPerS: ceilingUsersPerS,
        ratio: link.usersPerS / ceilingUsersPerS,
      };
    });
  }

  if (options.cases.includes('budget')) {
    const s = await stack('budget', sizes.budgetUsers);
    await within(s, async () => {
      log(`budget: provisioning at ${sizes.budgetLimit} requests/s`);
      results.budget = await measureBudget(s, cores, sizes.budgetLimit);
    });
  }

  if (options.cases.includes('latency')) {
    const directory = { incremental: { enabled: true, pollInterval: '1s', lookback: '3s' } };
    const s = await stack('latency', sizes.latencyPeople, { directory });
    await within(s, async () => {
      log(
        `latency: ${sizes.latencyChanges} changes, one after another, each timed until ServiceNow shows it`,
      );
      results.latency = await measureLatency(s, sizes.latencyChanges);
      log(`latency: p50 ${results.latency.p50S.toFixed(2)} s, p95 ${results.latency.p95S.toFixed(2)} s`);
    });
  }

  if (options.cases.includes('scale')) {
    const s = await stack('scale', sizes.noChange);
    await within(s, async () => {
      log(`scale: provisioning ${sizes.noChange} users`);
      results.setup = await measureProvisioning(s, cores);
      log(`scale: ${results.setup.usersPerS.toFixed(1)} users/s; no-change reconcile`);
      const larger = await measureNoChange(s, cores, pageSizes);
      const footprint = await measureFootprint(s);
      const smallerNoChange = results.noChange?.smaller;
      results.noChange = { ...larger, smaller: smallerNoChange ?? larger };
      results.footprint = { ...footprint, smaller: results.footprint?.smaller ?? footprint };
      if (smallerNoChange) {
        const perUser = (c: { seconds: number; users: number }) => c.seconds / c.users;
        results.growth = {
          perUserRatio: perUser(larger) / perUser(smallerNoChange),
          smaller: { users: smallerNoChange.users, secondsPerUser: perUser(smallerNoChange) },
          larger: { users: larger.users, secondsPerUser: perUser(larger) },
        };
      }
    });
  }
}
