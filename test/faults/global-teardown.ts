import Table from 'cli-table3';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
// Type-only: jest loads global hooks without the test files' module mapping, so no local runtime imports.
import type { CaseResult } from './helpers/case-results.js';

/**
 * Prints one table for the whole fault suite: per case, the faults that happened, the users
 * expected and every kind of difference found in ServiceNow. Any difference fails the run, even if
 * a case forgot to assert it.
 */
export default function globalTeardown(): void {
  const dir = process.env.FAULT_RESULTS_DIR;
  if (!dir) return;
  const cases = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CaseResult);
  rmSync(dir, { recursive: true, force: true });

  const table = new Table({
    head: [
      'case',
      'faults injected',
      'users',
      'dupl.',
      'missing',
      'wrong active',
      'wrong fields',
      'unexpected',
      's',
    ],
    colWidths: [30, 52, 7, 7, 9, 8, 8, 12, 6],
    wordWrap: true,
  });
  for (const c of cases) {
    const d = c.differences;
    table.push([
      c.name,
      c.faults.join('\n'),
      c.users,
      d.duplicates,
      d.missing,
      d.wrongActive,
      d.wrongFields,
      d.unexpected,
      Math.round(c.seconds),
    ]);
  }
  const wall = (Date.now() - Number(process.env.FAULT_SUITE_STARTED)) / 1000;
  process.stdout.write(
    `\nFault suite: ${cases.length} cases, ${Math.round(wall)} s in all\n${table.toString()}\n`,
  );

  const failing = cases.filter((c) => c.differences.examples.length > 0);
  for (const c of failing) process.stdout.write(`${c.name}: ${c.differences.examples.join('; ')}\n`);
  if (failing.length > 0)
    throw new Error(`ServiceNow differs from the expected state in ${failing.length} case(s)`);
}
