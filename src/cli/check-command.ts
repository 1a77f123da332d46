import type { Config } from '../config/load.js';
import { checkDirectory } from './checks/directory-checks.js';
import type { CheckResult } from './checks/check-result.js';
import { checkServiceNow } from './checks/servicenow-checks.js';
import { checkTemporal } from './checks/temporal-checks.js';
import { exitCodes, type ExitCode } from './exit-codes.js';
import { writeLines, type Output } from './output.js';

/**
 * `provisioner check`: tests the directory, ServiceNow and Temporal at once and prints one line per
 * check, pass or fail with the reason. Exits 0 when every check passed, 1 otherwise.
 */
export async function runCheckCommand(
  config: Config,
  options: { json?: boolean },
  out: Output,
): Promise<ExitCode> {
  const results = await runChecks(config);
  writeLines(out, options.json ? JSON.stringify(results, null, 2) : formatChecks(results));
  return results.some((r) => r.status === 'fail') ? exitCodes.failed : exitCodes.ok;
}

/** Every check of every system, the systems tested in parallel, listed directory, ServiceNow, Temporal. */
export async function runChecks(config: Config): Promise<CheckResult[]> {
  const systems = await Promise.all([checkDirectory(config), checkServiceNow(config), checkTemporal(config)]);
  return systems.flat();
}

function formatChecks(results: readonly CheckResult[]): string {
  const checkWidth = Math.max(...results.map((r) => r.check.length));
  return results
    .map((r) => `${r.status.padEnd(4)}  ${r.system.padEnd(10)}  ${r.check.padEnd(checkWidth)}  ${r.detail}`)
    .join('\n');
}
