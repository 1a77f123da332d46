import Table from 'cli-table3';
import { goals, type BenchResults } from './results.js';

const n = (value: number, digits = 1) => value.toLocaleString('en-US', { maximumFractionDigits: digits });
const verdict = (met: boolean | undefined) => (met === undefined ? '' : met ? ' (met)' : ' (missed)');

/** The run's figures as one table, a row per case, with each goal and whether it was met. */
export function resultsTable(r: BenchResults): string {
  const table = new Table({
    head: ['case', 'size', 'product', 'limit measured in the same run', 'ratio', 'goal'],
    style: { head: [], border: [] },
  });
  const goal = Object.fromEntries(goals(r).map((g) => [g.goal, `${g.goal}${verdict(g.met)}`]));

  if (r.initial)
    table.push([
      'initial provisioning',
      `${n(r.initial.users, 0)} users`,
      `${n(r.initial.seconds)} s, ${n(r.initial.usersPerS)} users/s`,
      `bare engine ${n(r.initial.ceilingUsersPerS)} workflows/s`,
      n(r.initial.ratio, 2),
      goal['initial.ratio ≥ 0.8'] ?? '',
    ]);
  if (r.link)
    table.push([
      'initial link',
      `${n(r.link.users, 0)} users`,
      `${n(r.link.seconds)} s, ${n(r.link.usersPerS)} users/s`,
      `bare engine ${n(r.link.ceilingUsersPerS)} workflows/s`,
      n(r.link.ratio, 2),
      goal['link.ratio ≥ 0.8'] ?? '',
    ]);
  if (r.budget)
    table.push([
      'request budget',
      `${n(r.budget.users, 0)} users`,
      `${n(r.budget.requestsPerS)} requests/s, ${r.budget.rateLimited} answered 429, ${r.budget.failedUsers} failed, ${r.budget.duplicates} duplicates`,
      `${r.budget.limit} requests/s`,
      n(r.budget.ratio, 2),
      goal['budget.ratio ≥ 0.9, no failed user, no duplicate'] ?? '',
    ]);
  for (const c of r.noChange ? [r.noChange.smaller, r.noChange] : [])
    table.push([
      'no-change reconcile',
      `${n(c.users, 0)} users`,
      `${n(c.seconds)} s (a worker's first ${n(c.coldSeconds)} s), peak RSS ${n(c.peakRssMB, 0)} MB (the worker that provisioned ${n(c.provisioningWorkerRssMB, 0)} MB), ${c.writes} writes, ${c.signals} signals, history ${n(c.historyBytes / 1024)} KB`,
      `raw paged read ${n(c.rawReadSeconds)} s`,
      n(c.ratio, 2),
      c === r.noChange
        ? [
            goal['noChange.ratio ≤ 1.5, 0 writes, 0 signals'],
            goal['noChange.peakRssMB ≤ 300'],
            goal['noChange.historyBytes < 1 MB'],
          ].join('\n')
        : '',
    ]);
  if (r.growth)
    table.push([
      'growth',
      `${n(r.growth.smaller.users, 0)} → ${n(r.growth.larger.users, 0)}`,
      `${n(r.growth.smaller.secondsPerUser * 1000, 3)} → ${n(r.growth.larger.secondsPerUser * 1000, 3)} ms/user`,
      '',
      n(r.growth.perUserRatio, 2),
      goal['growth.perUserRatio ≤ 1.2'] ?? '',
    ]);
  if (r.latency)
    table.push([
      'change latency',
      `${r.latency.changes} changes`,
      `p50 ${n(r.latency.p50S, 2)} s, p95 ${n(r.latency.p95S, 2)} s`,
      '',
      '',
      goal['latency.p95S < 5'] ?? '',
    ]);
  for (const f of r.footprint ? [r.footprint.smaller, r.footprint] : [])
    table.push([
      'engine footprint',
      `${n(f.openWorkflows, 0)} open user workflows`,
      `dev server RSS ${n(f.serverRssMB, 0)} MB, database ${n(f.dbMB, 0)} MB; one user's history ${f.userHistoryEvents} events, ${n(f.userHistoryBytes / 1024)} KB`,
      '',
      '',
      'reported',
    ]);
  if (r.setup)
    table.push([
      'provisioning for the larger no-change',
      `${n(r.setup.users, 0)} users`,
      `${n(r.setup.seconds)} s, ${n(r.setup.usersPerS)} users/s`,
      '',
      '',
      '',
    ]);
  return table.toString();
}
