import { createHash } from 'node:crypto';
import type { Client } from 'ldapts';
import type { ChangeMarker } from './change-marker.js';
import { laterMarker } from './change-marker.js';
import { describeServer } from './connection.js';
import type { DirectoryEntry } from './entry.js';
import { toDirectoryError } from './errors.js';
import { andFilters, parseFilter } from './filter.js';
import { normalizeOrUndefined } from './membership.js';
import { pagedSearch, readEntry } from './paged-search.js';
import { anyGroupFilter, groupAttributes } from './scope-groups.js';
import { searchUserEntries, type ScopeReading } from './scope-reading.js';

/** An entry a change search returned, with what tells its versions apart. */
export interface ChangedEntry {
  readonly entry: DirectoryEntry;
  /** The normalised DN (or the DN as sent, when it does not parse). */
  readonly key: string;
  /** The entry's change marker value, '' when the server sent none. */
  readonly marker: string;
  /** A digest of the DN and every value read: two versions of an entry differ in it. */
  readonly fingerprint: string;
}

/**
 * User entries under the base DN changed at or after `lowerBound`: every entry of the type's user
 * class, whether or not it still matches the configured filter or the groups (a change can take a
 * user out of scope). Read whole or throws a DirectoryError, as the full read.
 */
export async function searchChangedUsers(
  client: Client,
  reading: ScopeReading,
  marker: ChangeMarker,
  lowerBound: string,
): Promise<ChangedEntry[]> {
  const withMarker = { ...reading, attributes: [...reading.attributes, marker.attribute] };
  const filter = andFilters(reading.rules.userFilter, marker.filter(lowerBound));
  const where = `${describeServer(reading.settings)} (changed users)`;
  const entries = await searchUserEntries(client, withMarker, reading.settings.baseDn, filter, where);
  return entries.map((entry) => changedEntry(entry, marker));
}

/**
 * The normalised DNs, among the users changed at or after `lowerBound`, that match the configured
 * filter; undefined when no filter is configured (every user matches).
 */
export async function changedUsersInFilter(
  client: Client,
  reading: ScopeReading,
  marker: ChangeMarker,
  lowerBound: string,
): Promise<Set<string> | undefined> {
  if (reading.settings.filter === undefined) return undefined;
  const idOnly = { ...reading, attributes: ['1.1'] };
  const filter = andFilters(reading.userFilter, marker.filter(lowerBound));
  const where = `${describeServer(reading.settings)} (changed users in the filter)`;
  const entries = await searchUserEntries(client, idOnly, reading.settings.baseDn, filter, where);
  return new Set(entries.map((entry) => normalizeOrUndefined(entry.dn) ?? entry.dn));
}

/** Group entries under `bases` changed at or after `lowerBound`, with their member lists. */
export async function searchChangedGroups(
  client: Client,
  reading: ScopeReading,
  bases: readonly string[],
  marker: ChangeMarker,
  lowerBound: string,
): Promise<ChangedEntry[]> {
  const { attributes, binary } = groupAttributes(reading.settings.type === 'active-directory');
  const filter = parseFilter(andFilters(anyGroupFilter, marker.filter(lowerBound)));
  const where = `${describeServer(reading.settings)} (changed groups)`;
  const found: ChangedEntry[] = [];
  for (const base of bases) {
    const options = {
      scope: 'sub' as const,
      filter,
      attributes: [...attributes, marker.attribute],
      binaryAttributes: binary,
      pageSize: reading.settings.pageSize,
    };
    try {
      for await (const page of pagedSearch(client, base, options)) {
        found.push(...page.entries.map((entry) => changedEntry(entry, marker)));
      }
    } catch (error) {
      throw toDirectoryError(error, 'search', `${where} (search under ${base})`);
    }
  }
  return found;
}

/**
 * Where changed groups are looked for: the naming context (from the root DSE) that holds each
 * scope group, since nested groups may sit anywhere in it; the scope group's parent when the root
 * DSE does not say.
 */
export async function groupSearchBases(client: Client, reading: ScopeReading): Promise<string[]> {
  const { groups } = reading.settings;
  if (groups.length === 0) return [];
  const root = await readRootDse(client, reading, ['namingContexts']);
  const contexts = (root?.strings('namingContexts') ?? []).map((dn) => ({
    dn,
    key: normalizeOrUndefined(dn),
  }));

  const bases = new Map<string, string>();
  for (const group of groups) {
    const key = normalizeOrUndefined(group) ?? group;
    const context = contexts.find((c) => c.key !== undefined && (key === c.key || key.endsWith(`,${c.key}`)));
    const base = context?.dn ?? group.slice(group.indexOf(',') + 1);
    bases.set(normalizeOrUndefined(base) ?? base, base);
  }
  return [...bases.values()];
}

/** Where latestMarker looks: user entries under a base DN, group entries under group bases. */
export interface MarkerSearch {
  readonly userBase?: string;
  readonly groupBases: readonly string[];
  /** Only entries whose marker is at or after this; every entry with a marker when unset. */
  readonly since?: string;
}

/**
 * The latest change marker among the user and group entries the watcher follows, or undefined when
 * none has one (at or after `since`). Active Directory says it in the root DSE instead
 * (highestCommittedUSN, below which every change is committed), which answers for the whole
 * controller; elsewhere each entry is read for its marker alone.
 */
export async function latestMarker(
  client: Client,
  reading: ScopeReading,
  marker: ChangeMarker,
  where: MarkerSearch,
): Promise<string | undefined> {
  if (marker.attribute === 'uSNChanged') {
    const root = await readRootDse(client, reading, ['highestCommittedUSN']);
    const highest = root?.first('highestCommittedUSN');
    if (highest === undefined || where.since === undefined) return highest;
    return marker.compare(highest, where.since) >= 0 ? highest : undefined;
  }

  const term = where.since === undefined ? `(${marker.attribute}=*)` : marker.filter(where.since);
  const searches = [
    ...(where.userBase === undefined ? [] : [{ base: where.userBase, filter: reading.rules.userFilter }]),
    ...where.groupBases.map((base) => ({ base, filter: anyGroupFilter })),
  ];
  const what = `${describeServer(reading.settings)} (latest change)`;
  let latest: string | undefined;
  for (const { base, filter } of searches) {
    const options = {
      scope: 'sub' as const,
      filter: parseFilter(andFilters(filter, term)),
      attributes: [marker.attribute],
      pageSize: reading.settings.pageSize,
    };
    try {
      for await (const page of pagedSearch(client, base, options)) {
        for (const entry of page.entries) latest = laterMarker(marker, latest, entry.first(marker.attribute));
      }
    } catch (error) {
      throw toDirectoryError(error, 'search', `${what} (search under ${base})`);
    }
  }
  return latest;
}

async function readRootDse(
  client: Client,
  reading: ScopeReading,
  attributes: string[],
): Promise<DirectoryEntry | undefined> {
  try {
    return await readEntry(client, '', parseFilter('(objectClass=*)'), attributes);
  } catch (error) {
    throw toDirectoryError(error, 'search', `${describeServer(reading.settings)} (root DSE)`);
  }
}

function changedEntry(entry: DirectoryEntry, marker: ChangeMarker): ChangedEntry {
  const digest = createHash('sha256').update(entry.dn);
  for (const name of entry.names().sort()) {
    digest.update(`\0${name}`);
    for (const value of entry.strings(name)) digest.update(`\0${value}`);
    for (const value of entry.buffers(name)) digest.update(value);
  }
  return {
    entry,
    key: normalizeOrUndefined(entry.dn) ?? entry.dn,
    marker: entry.first(marker.attribute) ?? '',
    fingerprint: digest.digest('hex').slice(0, 24),
  };
}
