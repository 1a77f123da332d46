import type { UserStateView } from '../workflows/definitions.js';

/** One user's state as lines for a person. Values that are not set show as "-". */
export function formatUserState(workflowId: string, view: UserStateView): string {
  const rows: Array<[string, string | undefined]> = [
    ['state', view.state],
    ['workflow', workflowId],
    ['directory id', view.directoryId],
    ['sys_id', view.sysId],
    ['in scope', view.inScope === undefined ? undefined : view.inScope ? 'yes' : 'no'],
    ['last action', view.lastAction],
    ['last error', view.lastError && `${view.lastError.type}: ${view.lastError.message}`],
    ['held', view.hold && holdText(view.hold)],
    ['last reconcile', view.lastReconcileId],
    ['updated', view.updatedAt],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    view.userName ?? '(user name not known yet)',
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value ?? '-'}`),
  ].join('\n');
}

function holdText(hold: NonNullable<UserStateView['hold']>): string {
  const by = hold.by ? ` by ${hold.by}` : '';
  return `since ${hold.since}${by}: ${hold.reason}`;
}
