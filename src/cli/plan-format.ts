import Table from 'cli-table3';
import type { PlanAction, PlanEntry, PlanReport } from './plan-report.js';

const actionOrder: readonly PlanAction[] = ['create', 'link', 'update', 'enable', 'disable', 'retry', 'none'];

/**
 * The plan as a table for people: one row per user with a change (every user with `all`), each
 * written field with its old and new value, then conflicts, skipped entries and the totals.
 */
export function formatPlan(report: PlanReport, options: { all?: boolean } = {}): string {
  const shown = options.all ? report.users : report.users.filter((u) => u.action !== 'none');
  const r = report.read;
  const lines = [
    `read ${r.directoryEntries} directory entries (${r.usersInScope} users in scope), ` +
      `${r.serviceNowAccounts} ServiceNow accounts, ${r.managedUsers} managed users; nothing was written`,
  ];

  if (shown.length > 0) lines.push(userTable(shown));
  if (report.guard) {
    lines.push(
      `deprovision guard: the ${report.guard.heldDisables} disables would wait for an operator's approval (${report.guard.reason})`,
    );
  }
  if (report.conflicts.length > 0) {
    lines.push(`conflicts (nothing is done for these users until a person resolves them):`);
    for (const c of report.conflicts)
      lines.push(`  ${c.userName}: ${c.reason} (${c.directoryIds.join(', ')})`);
  }
  if (report.skipped.length > 0) {
    lines.push(`skipped directory entries:`);
    for (const s of report.skipped) lines.push(`  ${s.dn}: ${s.reason}`);
  }

  const counts = actionOrder.map((a) => `${a} ${report.counts[a]}`).join(', ');
  const verdict = report.changesPending
    ? `the next reconcile would change ${plural(report.users.length - report.counts.none, 'user')}`
    : 'the next reconcile would change nothing';
  lines.push(`${counts}; ${report.conflicts.length} conflicts, ${report.skipped.length} skipped`, verdict);
  return lines.join('\n');
}

function userTable(users: readonly PlanEntry[]): string {
  const table = new Table({
    head: ['user', 'action', 'why', 'changes'],
    style: { head: [], border: [], compact: true },
  });
  for (const user of users) {
    const changes = user.writes.map((w) => `${w.field}: ${shown(w.from)} -> ${shown(w.to)}`).join('\n');
    table.push([user.userName ?? user.directoryId, user.action, user.reason, changes]);
  }
  return table.toString();
}

function shown(value: string): string {
  return value === '' ? '(empty)' : JSON.stringify(value);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
