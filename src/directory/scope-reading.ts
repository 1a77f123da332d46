import type { Client } from 'ldapts';
import type { Logger } from '../log.js';
import { conventionsFor, type DirectoryConventions, type Reading } from './conventions.js';
import type { DirectoryEntry } from './entry.js';
import { toDirectoryError } from './errors.js';
import { andFilters, parseFilter } from './filter.js';
import { isMember, membershipAttributes, type ScopeMembership } from './membership.js';
import { pagedSearch, type SearchPage } from './paged-search.js';
import type { DirectorySettings, DirectoryUser } from './types.js';

/** What the mapping needs from each user entry. */
export interface DirectoryQuery {
  /** The attribute matched to ServiceNow user_name, e.g. 'uid' (OpenLDAP) or 'sAMAccountName' (AD). */
  userNameAttribute: string;
  /** Directory attributes the mapping needs; values end up in DirectoryUser.attributes, keyed as given. */
  attributes: readonly string[];
}

/** How one configuration reads users; shared by the full read and the change watcher, so they agree. */
export interface ScopeReading {
  readonly settings: DirectorySettings;
  readonly query: DirectoryQuery;
  readonly rules: DirectoryConventions;
  /** The type's user filter ANDed with the configured one. */
  readonly userFilter: string;
  readonly attributes: readonly string[];
  readonly membership: 'walk' | 'in-chain' | 'is-member-of' | undefined;
}

/** Builds the reading of a configuration; throws DirectoryError('bad-filter') for a filter that does not parse. */
export function scopeReading(settings: DirectorySettings, query: DirectoryQuery): ScopeReading {
  const ad = settings.type === 'active-directory';
  const rules = conventionsFor(settings.type, {
    idAttribute: settings.idAttribute,
    expiredAccountsDisabled: settings.expiredAccountsDisabled,
  });
  const userFilter = andFilters(rules.userFilter, settings.filter);
  parseFilter(userFilter);
  if (settings.disabledFilter !== undefined) parseFilter(settings.disabledFilter);

  const membership =
    settings.groups.length === 0
      ? undefined
      : (settings.groupMembership ??
        (ad ? 'in-chain' : settings.type === 'pingdirectory' ? 'is-member-of' : 'walk'));
  const attributes = uniqueNames([
    ...rules.statusAttributes,
    query.userNameAttribute,
    ...query.attributes,
    ...(membership === undefined ? [] : membershipAttributes(membership, ad)),
  ]);
  return {
    settings,
    query,
    rules,
    userFilter,
    attributes,
    membership,
  };
}

/**
 * Reads the entries under `baseDn` matching `filter` with the reading's attributes, whole or not at
 * all. `what` names the search in messages.
 */
export async function searchUserEntries(
  client: Client,
  reading: ScopeReading,
  baseDn: string,
  filter: string,
  what: string,
  log?: Logger,
): Promise<DirectoryEntry[]> {
  const entries: DirectoryEntry[] = [];
  await visitUserEntries(client, reading, { baseDn, filter, what }, (entry) => entries.push(entry), log);
  return entries;
}

/**
 * searchUserEntries, handing each entry to `visit` as its page arrives, so that a caller that
 * keeps only part of each entry never holds them all. If the search fails, some entries have been
 * visited and the error is thrown: the caller must then drop what it kept. What `visit` throws
 * ends the search and goes out as it is: it is not the directory's failure.
 */
export async function visitUserEntries(
  client: Client,
  reading: ScopeReading,
  search: { baseDn: string; filter: string; what: string },
  visit: (entry: DirectoryEntry) => void,
  log?: Logger,
): Promise<number> {
  const { baseDn, what } = search;
  const referrals: string[] = [];
  let page = 0;
  let total = 0;
  const failed = (error: unknown) =>
    toDirectoryError(error, 'search', `${what} (search under ${baseDn}, page ${page + 1})`);

  let pages: AsyncGenerator<SearchPage>;
  try {
    const options = {
      scope: 'sub' as const,
      filter: parseFilter(search.filter),
      attributes: reading.attributes,
      binaryAttributes: reading.rules.binaryAttributes,
      pageSize: reading.settings.pageSize,
    };
    pages = pagedSearch(client, baseDn, options);
  } catch (error) {
    throw failed(error);
  }
  try {
    for (;;) {
      let result: IteratorResult<SearchPage>;
      try {
        result = await pages.next();
      } catch (error) {
        throw failed(error);
      }
      if (result.done === true) break;
      page += 1;
      total += result.value.entries.length;
      result.value.entries.forEach(visit);
      referrals.push(...result.value.referrals);
      log?.debug({ page, entries: result.value.entries.length, total }, 'directory page read');
    }
  } finally {
    await pages.return(undefined);
  }

  // Parts of the tree held by other servers are never read, in every run alike; say so rather than follow them.
  if (referrals.length > 0) {
    log?.warn({ count: referrals.length, first: referrals.slice(0, 3) }, 'directory referrals not followed');
  }
  return total;
}

/**
 * The user an entry stands for, if it is in scope: `undefined` when the groups leave it out, a
 * reason when it is in scope but unusable. `disabledIds` holds the ids that match the configured
 * disabled filter.
 */
export function scopeUserOf(
  entry: DirectoryEntry,
  reading: ScopeReading,
  membership: ScopeMembership | undefined,
  disabledIds: ReadonlySet<string>,
): Reading<DirectoryUser> | undefined {
  return inScope(entryUserOf(entry, reading), entry, membership, disabledIds);
}

/**
 * The user an entry describes, whether or not it is in scope, and enabled as far as the entry
 * itself says: scopeUserOf without the groups and the disabled filter.
 */
export function entryUserOf(entry: DirectoryEntry, reading: ScopeReading): Reading<DirectoryUser> {
  const { rules, query } = reading;
  const id = rules.readId(entry);
  if (!id.ok) return id;
  // Where the attribute has several values the first is used: servers return them in stored order.
  const userName = entry.first(query.userNameAttribute);
  if (userName === undefined || userName.trim() === '')
    return { ok: false, reason: `no ${query.userNameAttribute}` };
  const disabled = rules.readDisabled(entry);
  if (!disabled.ok) return disabled;

  const attributes: Record<string, readonly string[]> = {};
  for (const name of query.attributes) attributes[name] = entry.strings(name);
  return { ok: true, value: { id: id.value, dn: entry.dn, userName, enabled: !disabled.value, attributes } };
}

/**
 * The rest of scopeUserOf, for a user read by entryUserOf: whether `memberEntry` (the entry, or the
 * part of it the membership check reads: see memberCheckAttributes) is in the groups,
 * and whether the disabled filter matched.
 */
export function inScope(
  user: Reading<DirectoryUser>,
  memberEntry: DirectoryEntry,
  membership: ScopeMembership | undefined,
  disabledIds: ReadonlySet<string>,
): Reading<DirectoryUser> | undefined {
  const member = membership === undefined ? true : isMember(memberEntry, membership);
  if (member === false) return undefined;
  if (member === 'unknown') {
    return { ok: false, reason: 'its DN cannot be parsed, so its group membership is unknown' };
  }
  if (!user.ok || !user.value.enabled || !disabledIds.has(user.value.id)) return user;
  return { ok: true, value: { ...user.value, enabled: false } };
}

function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const name of names) if (!seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  return [...seen.values()];
}
