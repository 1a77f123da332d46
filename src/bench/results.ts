import type { CeilingResult } from './ceiling/run.js';
import type { BudgetFigures } from './cases/budget.js';
import type { FootprintFigures } from './cases/footprint.js';
import type { NoChangeFigures } from './cases/no-change.js';
import type { ProvisioningFigures } from './cases/provisioning.js';
import type { BenchSizes } from './sizes.js';

/** The change-latency case's figures, in seconds. */
export interface LatencyFigures {
  readonly changes: number;
  readonly p50S: number;
  readonly p95S: number;
  readonly samplesS: readonly number[];
}

/** Everything one run measured; written as JSON with `--out`. Each case's key is absent when it did not run. */
export interface BenchResults {
  readonly machine: Record<string, unknown>;
  readonly command: string;
  readonly sizes: BenchSizes;
  readonly startedAt: string;
  readonly finishedAt?: string;
  /** Load averages (1, 5, 15 min) when the run started and ended. */
  readonly load: { start: number[]; end?: number[] };
  initial?: ProvisioningFigures & {
    ceilingUsersPerS: number;
    ratio: number;
    ceiling: CeilingResult;
  };
  link?: ProvisioningFigures & { ceilingUsersPerS: number; ratio: number };
  budget?: BudgetFigures;
  noChange?: NoChangeFigures & { smaller: NoChangeFigures };
  growth?: {
    perUserRatio: number;
    smaller: { users: number; secondsPerUser: number };
    larger: { users: number; secondsPerUser: number };
  };
  latency?: LatencyFigures;
  footprint?: FootprintFigures & { smaller: FootprintFigures };
  /** The provisioning run that brought the larger no-change directory in step, timed like the initial case. */
  setup?: ProvisioningFigures;
}

/** The figures the published results are read by: each must be a number in a run of every case. */
export const requiredKeys = [
  'initial.usersPerS',
  'initial.ceilingUsersPerS',
  'initial.ratio',
  'link.usersPerS',
  'link.ratio',
  'budget.ratio',
  'budget.failedUsers',
  'budget.duplicates',
  'noChange.seconds',
  'noChange.coldSeconds',
  'noChange.rawReadSeconds',
  'noChange.ratio',
  'noChange.writes',
  'noChange.signals',
  'noChange.peakRssMB',
  'noChange.provisioningWorkerRssMB',
  'noChange.historyBytes',
  'growth.perUserRatio',
  'latency.p50S',
  'latency.p95S',
  'footprint.serverRssMB',
  'footprint.dbMB',
] as const;

/**
 * The required keys that `results` (as written, or read back from the JSON) lacks or holds no
 * finite number for: a NaN or an infinity is written to JSON as null, so it counts as missing.
 */
export function missingKeys(results: unknown): string[] {
  return requiredKeys.filter((key) => {
    const value = key
      .split('.')
      .reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], results);
    return typeof value !== 'number' || !Number.isFinite(value);
  });
}

/** The goals, each with the figure it is judged on. */
export function goals(r: BenchResults): Array<{ goal: string; figure: string; met: boolean | undefined }> {
  const fixed = (n: number | undefined, digits = 2) => (n === undefined ? 'not run' : n.toFixed(digits));
  return [
    {
      goal: 'initial.ratio ≥ 0.8',
      figure: fixed(r.initial?.ratio),
      met: r.initial && r.initial.ratio >= 0.8,
    },
    { goal: 'link.ratio ≥ 0.8', figure: fixed(r.link?.ratio), met: r.link && r.link.ratio >= 0.8 },
    {
      goal: 'budget.ratio ≥ 0.9, no failed user, no duplicate',
      figure: r.budget
        ? `${fixed(r.budget.ratio)}, ${r.budget.failedUsers} failed, ${r.budget.duplicates} duplicates`
        : 'not run',
      met: r.budget && r.budget.ratio >= 0.9 && r.budget.failedUsers === 0 && r.budget.duplicates === 0,
    },
    {
      goal: 'noChange.ratio ≤ 1.5, 0 writes, 0 signals',
      figure: r.noChange
        ? `${fixed(r.noChange.ratio)}, ${r.noChange.writes} writes, ${r.noChange.signals} signals`
        : 'not run',
      met: r.noChange && r.noChange.ratio <= 1.5 && r.noChange.writes === 0 && r.noChange.signals === 0,
    },
    {
      goal: 'noChange.peakRssMB ≤ 300',
      figure: fixed(r.noChange?.peakRssMB, 0),
      met: r.noChange && r.noChange.peakRssMB <= 300,
    },
    {
      goal: 'noChange.historyBytes < 1 MB',
      figure: fixed(r.noChange?.historyBytes, 0),
      met: r.noChange && r.noChange.historyBytes < 1024 * 1024,
    },
    {
      goal: 'growth.perUserRatio ≤ 1.2',
      figure: fixed(r.growth?.perUserRatio),
      met: r.growth && r.growth.perUserRatio <= 1.2,
    },
    { goal: 'latency.p95S < 5', figure: fixed(r.latency?.p95S), met: r.latency && r.latency.p95S < 5 },
  ];
}
