import type { Client } from '@temporalio/client';
import { readManagedUsers } from '../activities/managed-users.js';
import type { Config } from '../config/load.js';
import { readDirectoryScope } from '../directory/read-scope.js';
import type { DirectoryScope, SkippedEntry } from '../directory/types.js';
import type { Logger } from '../log.js';
import type { ServiceNowClient } from '../servicenow/client.js';
import type { ServiceNowUser } from '../servicenow/types.js';
import { mappedAttributes, toDesiredUser, type DesiredUser } from './desired-user.js';
import { planReconcile, type Plan } from './plan.js';

export interface ComparisonSources {
  readonly config: Config;
  readonly serviceNow: ServiceNowClient;
  readonly temporal: Client;
  readonly log: Logger;
}

/** Both sides read in full, and the plan the decision table makes of them. */
export interface Comparison {
  readonly plan: Plan;
  readonly scope: DirectoryScope;
  readonly accounts: number;
  readonly managed: number;
  /** Directory entries that could not be used, with the reason: the reader's and the mapping's. */
  readonly skipped: readonly SkippedEntry[];
}

/**
 * Reads the directory scope, every ServiceNow account and the product's managed users, all at once,
 * and plans each user's change. Any read that fails or is cut short throws, so a plan is only ever
 * made from complete data: an unreachable directory can never look like "everyone left".
 */
export async function compareDirectoryWithServiceNow(
  sources: ComparisonSources,
  onProgress: (stage: string, count: number) => void = () => {},
): Promise<Comparison> {
  const { config } = sources;
  const mappedFields = Object.keys(config.mapping.fields);

  const [scope, accounts, managedRead] = await Promise.all([
    readDirectoryScope(
      config.directory,
      { userNameAttribute: config.mapping.userName, attributes: mappedAttributes(config.mapping) },
      sources.log,
    ),
    readAllAccounts(sources.serviceNow, mappedFields, (n) => onProgress('reading ServiceNow', n)),
    readManagedUsers(sources.temporal, config.temporal.taskQueue, {
      onProgress: (n) => onProgress('reading managed users', n),
    }),
  ]);
  sources.log.info(
    { kind: managedRead.kind, listed: managedRead.listed, managed: managedRead.users.length },
    managedRead.fullReadReason
      ? `managed users read in full: ${managedRead.fullReadReason}`
      : 'managed users read',
  );
  const managed = managedRead.users;

  const skipped = [...scope.skipped];
  const desired: DesiredUser[] = [];
  for (const user of scope.users) {
    const result = toDesiredUser(user, config.mapping);
    if (result.ok) desired.push(result.user);
    else skipped.push({ dn: user.dn, reason: result.reason });
  }

  const plan = planReconcile({
    desired,
    accounts,
    managed,
    switches: config.switches,
  });
  return { plan, scope, accounts: accounts.length, managed: managed.length, skipped };
}

async function readAllAccounts(
  serviceNow: ServiceNowClient,
  fields: readonly string[],
  onProgress: (count: number) => void,
): Promise<ServiceNowUser[]> {
  const accounts: ServiceNowUser[] = [];
  // Reporting the same count again while a failed page waits keeps the activity's heartbeat going.
  const keepAlive = () => onProgress(accounts.length);
  for await (const page of serviceNow.listUsers(fields, { keepAlive })) {
    accounts.push(...page);
    onProgress(accounts.length);
  }
  return accounts;
}
