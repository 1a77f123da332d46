import type { Client } from 'ldapts';
import type { Logger } from '../log.js';
import { closeQuietly, describeServer, openDirectoryConnection } from './connection.js';
import { conventionsFor, type DirectoryConventions, type Reading } from './conventions.js';
import { normalizeDn } from './dn.js';
import type { DirectoryEntry } from './entry.js';
import { toDirectoryError } from './errors.js';
import { andFilters, parseFilter } from './filter.js';
import { pagedSearch, type PagedSearchOptions } from './paged-search.js';
import { readScopeMembership, readScopeMembershipInChain, type ScopeMembership } from './scope-groups.js';
import type { DirectoryScope, DirectorySettings, DirectoryUser, SkippedEntry } from './types.js';

/** What the mapping needs from each user entry. */
export interface DirectoryQuery {
  /** The attribute matched to ServiceNow user_name, e.g. 'uid' (OpenLDAP) or 'sAMAccountName' (AD). */
  userNameAttribute: string;
  /** Directory attributes the mapping needs; values end up in DirectoryUser.attributes, keyed as given. */
  attributes: readonly string[];
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
  const started = Date.now();
  const where = describeServer(settings);
  const rules = conventionsFor(settings.type);
  const userFilter = andFilters(rules.userFilter, settings.filter);
  const filter = parseFilter(userFilter);
  const withGroups = settings.groups.length > 0;
  const attributes = uniqueNames([
    ...rules.statusAttributes,
    query.userNameAttribute,
    ...query.attributes,
    // posixGroup members are named by uid.
    ...(withGroups && settings.type !== 'active-directory' ? ['uid'] : []),
  ]);

  const client = await openDirectoryConnection(settings, log);
  try {
    const search = { filter, attributes, binaryAttributes: rules.binaryAttributes };
    const entries = await readUserEntries(client, settings, search, where, log);
    const membership = withGroups
      ? await readMembership(client, settings, entries, userFilter, where, log)
      : undefined;
    const scope = toScope(entries, membership, rules, query);
    log?.info(
      {
        entriesRead: scope.entriesRead,
        inScope: scope.users.length,
        skipped: scope.skipped.length,
        ms: Date.now() - started,
      },
      'directory scope read',
    );
    return scope;
  } finally {
    await closeQuietly(client);
  }
}

async function readUserEntries(
  client: Client,
  settings: DirectorySettings,
  search: Omit<PagedSearchOptions, 'scope' | 'pageSize'>,
  where: string,
  log?: Logger,
): Promise<DirectoryEntry[]> {
  const entries: DirectoryEntry[] = [];
  const referrals: string[] = [];
  let page = 0;
  try {
    const options = { scope: 'sub' as const, ...search, pageSize: settings.pageSize };
    for await (const result of pagedSearch(client, settings.baseDn, options)) {
      page += 1;
      entries.push(...result.entries);
      referrals.push(...result.referrals);
      log?.debug({ page, entries: result.entries.length, total: entries.length }, 'directory page read');
    }
  } catch (error) {
    throw toDirectoryError(error, 'search', `${where} (search under ${settings.baseDn}, page ${page + 1})`);
  }

  // Parts of the tree held by other servers are never read, in every run alike; say so rather than follow them.
  if (referrals.length > 0) {
    log?.warn({ count: referrals.length, first: referrals.slice(0, 3) }, 'directory referrals not followed');
  }
  return entries;
}

async function readMembership(
  client: Client,
  settings: DirectorySettings,
  entries: readonly DirectoryEntry[],
  userFilter: string,
  where: string,
  log?: Logger,
): Promise<ScopeMembership> {
  if (settings.type === 'active-directory') {
    const options = {
      baseDn: settings.baseDn,
      userFilter,
      groupDns: settings.groups,
      pageSize: settings.pageSize,
    };
    return readScopeMembershipInChain(client, options, where);
  }
  const userDns = new Set<string>();
  for (const entry of entries) {
    const dn = normalizeOrUndefined(entry.dn);
    if (dn !== undefined) userDns.add(dn);
  }
  return readScopeMembership(client, settings.groups, userDns, where, log);
}

function toScope(
  entries: readonly DirectoryEntry[],
  membership: ScopeMembership | undefined,
  rules: DirectoryConventions,
  query: DirectoryQuery,
): DirectoryScope {
  const users: DirectoryUser[] = [];
  const skipped: SkippedEntry[] = [];

  for (const entry of entries) {
    const member = membership === undefined ? true : isMember(entry, membership);
    if (member === false) continue;

    const user: Reading<DirectoryUser> =
      member === 'unknown'
        ? { ok: false, reason: 'its DN cannot be parsed, so its group membership is unknown' }
        : toUser(entry, rules, query);
    if (user.ok) users.push(user.value);
    else skipped.push({ dn: entry.dn, reason: user.reason });
  }
  return { users, entriesRead: entries.length, skipped };
}

function toUser(
  entry: DirectoryEntry,
  rules: DirectoryConventions,
  query: DirectoryQuery,
): Reading<DirectoryUser> {
  const id = rules.readId(entry);
  if (!id.ok) return id;
  // Where the attribute has several values the first is used: servers return them in stored order.
  const userName = entry.first(query.userNameAttribute);
  if (userName === undefined || userName.trim() === '')
    return { ok: false, reason: `no ${query.userNameAttribute}` };
  const disabled = rules.readDisabled(entry);
  if (!disabled.ok) return disabled;

  const attributes = Object.fromEntries(query.attributes.map((name) => [name, entry.strings(name)]));
  return { ok: true, value: { id: id.value, dn: entry.dn, userName, enabled: !disabled.value, attributes } };
}

function isMember(entry: DirectoryEntry, membership: ScopeMembership): boolean | 'unknown' {
  if (entry.strings('uid').some((uid) => membership.names.has(uid.trim().toLowerCase()))) return true;
  const dn = normalizeOrUndefined(entry.dn);
  return dn === undefined ? 'unknown' : membership.dns.has(dn);
}

function normalizeOrUndefined(dn: string): string | undefined {
  try {
    return normalizeDn(dn);
  } catch {
    return undefined;
  }
}

function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const name of names) if (!seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  return [...seen.values()];
}
