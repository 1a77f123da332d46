import { createHash } from 'node:crypto';
import type { Client } from 'ldapts';
import type { Logger } from '../log.js';
import { memberValueDn, normalizeDn } from './dn.js';
import type { DirectoryEntry } from './entry.js';
import { DirectoryError, toDirectoryError } from './errors.js';
import { parseFilter } from './filter.js';
import { ridOf, type ScopeMembership } from './membership.js';
import { readEntry } from './paged-search.js';

const groupClasses = ['groupOfNames', 'groupOfUniqueNames', 'groupOfMembers', 'posixGroup', 'group'];
/** Matches every kind of group the walk can read. */
export const anyGroupFilter = `(|${groupClasses.map((c) => `(objectClass=${c})`).join('')})`;
const memberAttributes = ['member', 'uniqueMember', 'memberUid'];
/** How many member lookups are in flight at once on the one connection. */
const lookupConcurrency = 32;

/** Where messages point, and whether groups carry Active Directory SIDs (primary groups). */
export interface GroupReadOptions {
  readonly where: string;
  readonly activeDirectory: boolean;
  readonly log?: Logger;
}

/** A group's members as the server lists them, all ranges read, and a fingerprint of the list. */
export interface GroupMembers {
  readonly dns: readonly string[];
  readonly names: readonly string[];
  readonly fingerprint: string;
}

/**
 * Walks the scope groups and every group nested in them (groupOfNames `member`, groupOfUniqueNames
 * `uniqueMember`, posixGroup `memberUid`, AD `group`), each group once, so cycles end. A member DN
 * that is one of `userDns` is taken as a user without a lookup; any other member is looked up and
 * followed if it is a group, ignored if it is missing or something else (a contact, a computer).
 * Big groups sent in ranges (`member;range=0-1499`) are read to the end. A scope group that is
 * missing or not a group throws DirectoryError('group-not-found'): it never means "nobody".
 */
export async function readScopeMembership(
  client: Client,
  groupDns: readonly string[],
  userDns: ReadonlySet<string>,
  options: GroupReadOptions,
): Promise<ScopeMembership> {
  const dns = new Set<string>();
  const names = new Set<string>();
  const primaryGroupIds = new Set<string>();
  const groups = new Map<string, string>();
  const seen = new Set<string>();
  let pending: string[] = [];

  const expand = async (group: DirectoryEntry) => {
    const members = await readGroupMembers(client, group, options.where);
    groups.set(normalizeDn(group.dn), members.fingerprint);
    const rid = ridOf(group.buffers('objectSid')[0]);
    if (rid !== undefined) primaryGroupIds.add(rid);
    for (const raw of members.dns) {
      const dn = normalizeOrWarn(raw, group.dn, options.log);
      if (dn === undefined || dn === '' || seen.has(dn)) continue;
      if (userDns.has(dn)) dns.add(dn);
      else pending.push(raw);
      seen.add(dn);
    }
    for (const name of members.names) names.add(name.trim().toLowerCase());
  };

  for (const dn of groupDns) {
    seen.add(normalizeDn(dn));
    await expand(await readScopeGroup(client, dn, options));
  }

  while (pending.length > 0) {
    const batch = pending.slice(0, lookupConcurrency);
    pending = pending.slice(lookupConcurrency);
    const found = await Promise.all(batch.map((dn) => lookUp(client, dn, anyGroupFilter, options)));
    for (const group of found) if (group !== undefined) await expand(group);
  }

  options.log?.debug({ groups: groups.size, members: dns.size + names.size }, 'scope groups read');
  return { dns, names, primaryGroupIds, groups };
}

/** Reads a configured scope group; one that is missing or not a group throws 'group-not-found'. */
export async function readScopeGroup(
  client: Client,
  dn: string,
  options: GroupReadOptions,
): Promise<DirectoryEntry> {
  const group = await lookUp(client, dn, '(objectClass=*)', options);
  if (group === undefined || !isGroup(group)) {
    const problem = group === undefined ? 'does not exist' : 'is not a group';
    throw new DirectoryError('group-not-found', `${options.where}: scope group ${dn} ${problem}`);
  }
  return group;
}

/**
 * The member values of a group entry, with the rest of any ranged attribute fetched. Refuses a
 * groupOfNames or groupOfUniqueNames that shows no member: those classes require one, so the bind
 * account cannot see them, and reading the group as empty would take everyone out of scope.
 */
export async function readGroupMembers(
  client: Client,
  group: DirectoryEntry,
  where: string,
): Promise<GroupMembers> {
  const dns: string[] = [];
  for (const attribute of ['member', 'uniqueMember']) {
    const values = await allValues(client, group, attribute, where);
    dns.push(...values.map((value) => memberValueDn(value).trim()));
  }
  const names = [...group.strings('memberUid')];

  const classes = group.strings('objectClass').map((c) => c.toLowerCase());
  if ((classes.includes('groupofnames') || classes.includes('groupofuniquenames')) && dns.length === 0) {
    throw new DirectoryError(
      'incomplete-read',
      `${where}: group ${group.dn} shows no members although its class requires one; ` +
        'the bind account may not be allowed to read them',
    );
  }
  const fingerprint = createHash('sha256')
    .update([...dns].sort().join('\n'))
    .update('\0')
    .update([...names].sort().join('\n'))
    .digest('hex')
    .slice(0, 16);
  return { dns, names, fingerprint };
}

/** The attributes a group is read with; objectSid gives an AD group's RID for primary groups. */
export function groupAttributes(activeDirectory: boolean): { attributes: string[]; binary: string[] } {
  const sid = activeDirectory ? ['objectSid'] : [];
  return { attributes: ['objectClass', ...memberAttributes, ...sid], binary: sid };
}

/**
 * Active Directory sends an attribute with more values than its limit (1,500 by default) in ranges:
 * `member;range=0-1499`, then `member;range=1500-2999` on request, until a range ends in `*`.
 */
async function allValues(
  client: Client,
  group: DirectoryEntry,
  attribute: string,
  where: string,
): Promise<string[]> {
  let ranged = rangeOf(group, attribute);
  if (ranged === undefined) return [...group.strings(attribute)];

  const values = [...ranged.values];
  while (ranged.end !== '*') {
    const next = `${attribute};range=${Number(ranged.end) + 1}-*`;
    const part = await lookUpAttributes(client, group.dn, [next], where);
    ranged = part === undefined ? undefined : rangeOf(part, attribute);
    if (ranged === undefined) {
      throw new DirectoryError('incomplete-read', `${where}: group ${group.dn} stopped sending ${next}`);
    }
    values.push(...ranged.values);
  }
  return values;
}

function rangeOf(
  entry: DirectoryEntry,
  attribute: string,
): { values: readonly string[]; end: string } | undefined {
  const prefix = `${attribute.toLowerCase()};range=`;
  const name = entry.names().find((n) => n.startsWith(prefix));
  if (name === undefined) return undefined;
  const end = /-(\d+|\*)$/.exec(name)?.[1] ?? '*';
  return { values: entry.strings(name), end };
}

async function lookUp(
  client: Client,
  dn: string,
  filter: string,
  options: GroupReadOptions,
): Promise<DirectoryEntry | undefined> {
  const { attributes, binary } = groupAttributes(options.activeDirectory);
  try {
    return await readEntry(client, dn, parseFilter(filter), attributes, binary);
  } catch (error) {
    throw toDirectoryError(error, 'search', `${options.where} (reading group ${dn})`);
  }
}

async function lookUpAttributes(
  client: Client,
  dn: string,
  attributes: string[],
  where: string,
): Promise<DirectoryEntry | undefined> {
  try {
    return await readEntry(client, dn, parseFilter('(objectClass=*)'), attributes);
  } catch (error) {
    throw toDirectoryError(error, 'search', `${where} (reading the members of group ${dn})`);
  }
}

function isGroup(entry: DirectoryEntry): boolean {
  const classes = new Set(entry.strings('objectClass').map((c) => c.toLowerCase()));
  return groupClasses.some((c) => classes.has(c.toLowerCase()));
}

function normalizeOrWarn(dn: string, groupDn: string, log?: Logger): string | undefined {
  try {
    return normalizeDn(dn);
  } catch (error) {
    log?.warn({ group: groupDn, member: dn, error: (error as Error).message }, 'group member is not a DN');
    return undefined;
  }
}
