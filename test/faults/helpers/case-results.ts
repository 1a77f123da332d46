import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Differences } from './expected-state.js';

/** One row of the fault suite's table: what was injected, how many users, what differed. */
export interface CaseResult {
  readonly name: string;
  /** The faults that actually happened, e.g. `3 worker kills (SIGKILL), 3 restarts`. */
  readonly faults: readonly string[];
  readonly users: number;
  readonly differences: Differences;
  readonly seconds: number;
}

const resultsDir = () => {
  const dir = process.env.FAULT_RESULTS_DIR;
  if (!dir) throw new Error('FAULT_RESULTS_DIR is unset: run the fault suite with `npm run test:faults`');
  return dir;
};

/** Keeps a case's row for the table printed at the end of the run. */
export function recordCase(result: CaseResult): void {
  const file = `${result.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.json`;
  writeFileSync(join(resultsDir(), file), JSON.stringify(result));
}
