import type { Client } from 'ldapts';
import type { Logger } from '../log.js';
import { closeQuietly, describeServer, openDirectoryConnection } from './connection.js';
import type { DirectoryEntry } from './entry.js';
import { andFilters } from './filter.js';
import { readScopeMembershipInChain } from './in-chain.js';
import { readScopeMembershipByAttribute } from './is-member-of.js';
import { memberCheckAttributes, normalizeOrUndefined, type ScopeMembership } from './membership.js';
import { readScopeMembership } from './scope-groups.js';
import type { Reading } from './conventions.js';
import {
  entryUserOf,
  inScope,
  scopeReading,
  visitUserEntries,
  type DirectoryQuery,
  type ScopeReading,
} from './scope-reading.js';
import type { DirectoryScope, DirectorySettings, DirectoryUser, SkippedEntry } from './types.js';

export type { DirectoryQuery } from './scope-reading.js';

/** A whole read of the scope, with what the change watcher keeps from it. */
export interface ScopeRead {
  readonly scope: DirectoryScope;
  readonly membership: ScopeMembership | undefined;
}

/**
 * Reads every user in scope: the user entries under the base DN (subtree) that match the directory
 * type's user filter and the configured filter, and, when scope groups are configured, are members
 * of one of them directly or through nested groups.
 *
 * The read is whole or it throws a DirectoryError: a size or time limit, a dropped connection, a
 * missing base DN or scope group never yields a partial list. Entries in scope that lack an id or
 * a user name are returned in `skipped` with the reason, never dropped silently.
 */
export async function readDirectoryScope(
  settings: DirectorySettings,
  query: DirectoryQuery,
  log?: Logger,
): Promise<DirectoryScope> {
  const reading = scopeReading(settings, query);
  const client = await openDirectoryConnection(settings, log);
  try {
    return (await readScopeWith(client, reading, log)).scope;
  } finally {
    await closeQuietly(client);
  }
}

/** readDirectoryScope on a connection that is open and bound. */
export async function readScopeWith(client: Client, reading: ScopeReading, log?: Logger): Promise<ScopeRead> {
  const started = Date.now();
  const { settings } = reading;
  const where = describeServer(settings);
  // Each entry becomes the user it describes as its page arrives, and only the part of it the
  // membership check reads is kept: the entries as read, several times that size, are never all
  // held at once.
  const read: Array<{ user: Reading<DirectoryUser>; memberEntry: DirectoryEntry }> = [];
  const kept = reading.membership === undefined ? [] : memberCheckAttributes;
  const search = { baseDn: settings.baseDn, filter: reading.userFilter, what: where };
  const entriesRead = await visitUserEntries(
    client,
    reading,
    search,
    (entry) => read.push({ user: entryUserOf(entry, reading), memberEntry: entry.only(kept) }),
    log,
  );
  const memberEntries = read.map((r) => r.memberEntry);
  const membership = await readMembership(client, reading, memberEntries, where, log);
  const disabledIds = await readDisabledIds(client, reading, undefined, log);

  const users: DirectoryUser[] = [];
  const skipped: SkippedEntry[] = [];
  for (const { user: entryUser, memberEntry } of read) {
    const user = inScope(entryUser, memberEntry, membership, disabledIds);
    if (user === undefined) continue;
    if (user.ok) users.push(user.value);
    else skipped.push({ dn: memberEntry.dn, reason: user.reason });
  }

  const scope = { users, entriesRead, skipped };
  log?.info(
    { entriesRead, inScope: users.length, skipped: skipped.length, ms: Date.now() - started },
    'directory scope read',
  );
  return { scope, membership };
}

/**
 * The ids of users under the base DN that match the configured disabled filter (and `extraFilter`,
 * when given); empty when no disabled filter is configured.
 */
export async function readDisabledIds(
  client: Client,
  reading: ScopeReading,
  extraFilter?: string,
  log?: Logger,
): Promise<Set<string>> {
  const { settings } = reading;
  if (settings.disabledFilter === undefined) return new Set();
  const filter = andFilters(reading.userFilter, settings.disabledFilter, extraFilter);
  const where = `${describeServer(settings)} (disabled filter)`;
  const ids = new Set<string>();
  const search = { baseDn: settings.baseDn, filter, what: where };
  await visitUserEntries(
    client,
    reading,
    search,
    (entry) => {
      const id = reading.rules.readId(entry);
      if (id.ok) ids.add(id.value);
    },
    log,
  );
  return ids;
}

/** Reads who the scope groups hold, the way the reading says; undefined without scope groups. */
export async function readMembership(
  client: Client,
  reading: ScopeReading,
  entries: readonly DirectoryEntry[],
  where: string,
  log?: Logger,
): Promise<ScopeMembership | undefined> {
  const { settings } = reading;
  if (reading.membership === undefined) return undefined;
  if (reading.membership === 'is-member-of') {
    return readScopeMembershipByAttribute(client, settings.groups, entries, where);
  }

  const userDns = new Set<string>();
  for (const entry of entries) {
    const dn = normalizeOrUndefined(entry.dn);
    if (dn !== undefined) userDns.add(dn);
  }
  if (reading.membership === 'in-chain') {
    return readScopeMembershipInChain(client, {
      baseDn: settings.baseDn,
      userFilter: reading.userFilter,
      groupDns: settings.groups,
      pageSize: settings.pageSize,
      userDns,
      where,
    });
  }
  const activeDirectory = settings.type === 'active-directory';
  return readScopeMembership(client, settings.groups, userDns, { where, activeDirectory, log });
}
