import type { ReconcileSummary } from '../workflows/reconcile.js';

/** A reconcile's result as lines for a person: what was read, what was decided, how it ended. */
export function formatSummary(summary: ReconcileSummary): string {
  const p = summary.planned;
  const seconds = (Date.parse(summary.finishedAt) - Date.parse(summary.startedAt)) / 1000;
  const lines = [
    `reconcile ${summary.workflowId} (run ${summary.reconcileId}) finished in ${seconds.toFixed(1)} s`,
    `  directory   ${summary.directory.entriesRead} entries read, ${summary.directory.inScope} in scope, ${summary.directory.skipped} skipped`,
    `  servicenow  ${summary.serviceNowAccounts} accounts read; ${summary.managedUsers} users already managed`,
    `  decided     create ${p.create}, link ${p.link}, update ${p.update}, enable ${p.enable}, disable ${p.disable}, in step ${summary.inStep}`,
    `  outcome     ${summary.outcome.settled} of ${summary.dispatched} dispatched users done, ${summary.outcome.failed} failed, ${summary.outcome.unsettled} still running`,
  ];
  if (summary.guard) {
    const g = summary.guard;
    lines.push(
      `  guard       ${g.held} disables held (${g.reason}); ${g.verdict}${g.by ? ` by ${g.by}` : ''}`,
    );
  }
  if (summary.conflicts > 0) {
    lines.push(`  conflicts   ${summary.conflicts} (nothing was changed for them)`);
    for (const c of summary.conflictList) lines.push(`    ${c.userName}: ${c.reason}`);
  }
  for (const s of summary.skippedEntries) lines.push(`  skipped     ${s.dn}: ${s.reason}`);
  return lines.join('\n');
}
