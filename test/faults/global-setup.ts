import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A folder where each fault case leaves its row; the test files inherit its path. */
export default function globalSetup(): void {
  process.env.FAULT_RESULTS_DIR = mkdtempSync(join(tmpdir(), 'provisioner-fault-results-'));
  process.env.FAULT_SUITE_STARTED = String(Date.now());
}
