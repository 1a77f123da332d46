import type { Client } from '@temporalio/client';
import { readManagedUsers } from '../activities/managed-users.js';
import type { Config } from '../config/load.js';
import { readDirectoryScope } from '../directory/read-scope.js';
import type { SkippedEntry } from '../directory/types.js';
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
  readonly directory: {
    /** User entries read under the base DN before the group criterion was applied. */
    readonly entriesRead: number;
    readonly inScope: number;
  };
  readonly accounts: number;
  readonly managed: number;
  /** Directory entries that could not be used, with the reason: the reader's and the mapping's. */
  readonly skipped: readonly SkippedEntry[];
}

/** How much of the plan to keep. */
export interface ComparisonOptions {
  readonly onProgress?: (stage: string, count: number) => void;
  /**
   * Keep every in-step user in `plan.unchanged`, for a dry run that lists them; a reconcile only
   * counts them, and at 100,000 users the list would be the largest thing it holds.
   */
  readonly listUnchanged?: boolean;
}

/**
 * Reads the directory scope, every ServiceNow account and the product's managed users, all at once,
 * and plans each user's change. Any read that fails or is cut short throws, so a plan is only ever
 * made from complete data: an unreachable directory can never look like "everyone left".
 */
export async function compareDirectoryWithServiceNow(
  sources: ComparisonSources,
  options: ComparisonOptions = {},
): Promise<Comparison> {
  const { config } = sources;
  const mappedFields = Object.keys(config.mapping.fields);
  const onProgress = options.onProgress ?? (() => {});

  const [directory, accounts, managedRead] = await Promise.all([
    readDesiredUsers(sources),
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

  const plan = planReconcile({
    desired: directory.desired,
    accounts,
    managed,
    switches: config.switches,
    listUnchanged: options.listUnchanged ?? true,
  });
  return {
    plan,
    directory: { entriesRead: directory.entriesRead, inScope: directory.inScope },
    accounts: accounts.length,
    managed: managed.length,
    skipped: directory.skipped,
  };
}

/**
 * The desired state of every user in scope. The entries as read (DN, every value of every mapped
 * attribute) take several times the memory of what is kept, and are dropped as this returns.
 */
async function readDesiredUsers(sources: ComparisonSources): Promise<{
  desired: DesiredUser[];
  entriesRead: number;
  inScope: number;
  skipped: SkippedEntry[];
}> {
  const { mapping } = sources.config;
  const scope = await readDirectoryScope(
    sources.config.directory,
    { userNameAttribute: mapping.userName, attributes: mappedAttributes(mapping) },
    sources.log,
  );
  const skipped = [...scope.skipped];
  const desired: DesiredUser[] = [];
  for (const user of scope.users) {
    const result = toDesiredUser(user, mapping);
    if (result.ok) desired.push(result.user);
    else skipped.push({ dn: user.dn, reason: result.reason });
  }
  return { desired, entriesRead: scope.entriesRead, inScope: scope.users.length, skipped };
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
