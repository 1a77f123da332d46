import { pino } from 'pino';
import type { Config } from '../config/load.js';
import { compareDirectoryWithServiceNow } from '../reconcile/compare.js';
import { ServiceNowClient } from '../servicenow/client.js';
import { exitCodes, type ExitCode } from './exit-codes.js';
import { writeLines, type Output } from './output.js';
import { formatPlan } from './plan-format.js';
import { toPlanReport, type PlanReport } from './plan-report.js';
import { withTemporal } from './temporal-client.js';

/** How a dry run retries a failed page of ServiceNow: briefly, then it fails and says why. */
const dryRunPageRetry = { maxRetries: 2, maxWaitMs: 5000 };

/**
 * `provisioner plan`: the dry run. Reads the directory, ServiceNow and the managed users (Temporal
 * visibility) exactly as a reconcile does, and runs the same comparison, but writes nothing
 * anywhere: no account, no workflow, no signal. Prints a table or JSON; the exit code says whether
 * the next reconcile would change anything (3) or not (0).
 */
export async function runPlanCommand(
  config: Config,
  options: { json?: boolean; all?: boolean },
  out: Output,
): Promise<ExitCode> {
  const report = await planNextReconcile(config);
  writeLines(out, options.json ? JSON.stringify(report, null, 2) : formatPlan(report, options));
  return report.changesPending ? exitCodes.changesPending : exitCodes.ok;
}

/** The plan of the next reconcile, read from both sides now. */
export function planNextReconcile(config: Config): Promise<PlanReport> {
  // Diagnostics go to standard error so that `--json` output stays clean for scripts.
  const log = pino(
    { name: 'plan', level: config.logging.level === 'info' ? 'warn' : config.logging.level },
    pino.destination(2),
  );
  // A dry run is run by a person waiting for it: two quick retries of a failed page, not the worker's minutes.
  const serviceNow = new ServiceNowClient(config.servicenow, { logger: log, pageRetry: dryRunPageRetry });
  return withTemporal(config, async (temporal) => {
    const comparison = await compareDirectoryWithServiceNow({ config, serviceNow, temporal, log });
    return toPlanReport(comparison, config.reconcile.guard);
  });
}
