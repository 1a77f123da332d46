import type { Client } from 'ldapts';
import type { Logger } from '../log.js';
import { memberValueDn, normalizeDn } from './dn.js';
import type { DirectoryEntry } from './entry.js';
import { DirectoryError, toDirectoryError } from './errors.js';
import { andFilters, escapeFilterValue, parseFilter } from './filter.js';
import { pagedSearch, readEntry } from './paged-search.js';

/** Who the scope groups hold, directly or through nested groups. */
export interface ScopeMembership {
  /** Normalised DNs of member entries (see normalizeDn). */
  readonly dns: ReadonlySet<string>;
  /** posixGroup memberUid values, in lower case: login names, not DNs. */
  readonly names: ReadonlySet<string>;
}

const groupClasses = ['groupOfNames', 'groupOfUniqueNames', 'groupOfMembers', 'posixGroup', 'group'];
const groupFilter = `(|${groupClasses.map((c) => `(objectClass=${c})`).join('')})`;
const groupAttributes = ['objectClass', 'member', 'uniqueMember', 'memberUid'];
/** How many nested-group lookups are in flight at once on the one connection. */
const lookupBatch = 16;

/**
 * Walks the scope groups and every group nested in them (groupOfNames `member`, groupOfUniqueNames
 * `uniqueMember`, posixGroup `memberUid`), each group once, so cycles end. A member DN that is one
 * of `userDns` is taken as a user without a lookup; any other member is looked up and followed if
 * it is a group, ignored if it is missing or not a group. A scope group that is missing or not a
 * group throws DirectoryError('group-not-found'): it never means "nobody is in scope".
 */
export async function readScopeMembership(
  client: Client,
  groupDns: readonly string[],
  userDns: ReadonlySet<string>,
  where: string,
  log?: Logger,
): Promise<ScopeMembership> {
  const dns = new Set<string>();
  const names = new Set<string>();
  const seen = new Set<string>();
  let pending: string[] = [];

  const expand = (group: DirectoryEntry) => {
    refuseRangedValues(group, where);
    refuseHiddenMembers(group, where);
    for (const value of [...group.strings('member'), ...group.strings('uniqueMember')]) {
      const raw = memberValueDn(value).trim();
      const dn = normalizeOrWarn(raw, group.dn, log);
      if (dn === undefined || dn === '' || seen.has(dn)) continue;
      if (userDns.has(dn)) dns.add(dn);
      else pending.push(raw);
      seen.add(dn);
    }
    for (const name of group.strings('memberUid')) names.add(name.trim().toLowerCase());
  };

  for (const dn of groupDns) {
    const group = await lookUp(client, dn, '(objectClass=*)', where);
    if (group === undefined || !isGroup(group)) {
      const problem = group === undefined ? 'does not exist' : 'is not a group';
      throw new DirectoryError('group-not-found', `${where}: scope group ${dn} ${problem}`);
    }
    seen.add(normalizeDn(dn));
    expand(group);
  }

  let nestedGroups = 0;
  while (pending.length > 0) {
    const batch = pending.slice(0, lookupBatch);
    pending = pending.slice(lookupBatch);
    const found = await Promise.all(batch.map((dn) => lookUp(client, dn, groupFilter, where)));
    for (const group of found) {
      if (group === undefined) continue;
      nestedGroups += 1;
      expand(group);
    }
  }

  log?.debug({ groups: groupDns.length, nestedGroups, members: dns.size + names.size }, 'scope groups read');
  return { dns, names };
}

/**
 * Active Directory resolves nesting itself with LDAP_MATCHING_RULE_IN_CHAIN, which also avoids
 * reading big groups in ranges. The groups are checked first: the rule matches nobody for a group
 * that does not exist.
 */
export async function readScopeMembershipInChain(
  client: Client,
  options: { baseDn: string; userFilter: string; groupDns: readonly string[]; pageSize: number },
  where: string,
): Promise<ScopeMembership> {
  for (const dn of options.groupDns) {
    const group = await lookUp(client, dn, '(objectClass=group)', where);
    if (group === undefined) {
      throw new DirectoryError(
        'group-not-found',
        `${where}: scope group ${dn} does not exist or is not a group`,
      );
    }
  }

  const filter = parseFilter(andFilters(options.userFilter, inChainFilter(options.groupDns)));
  const dns = new Set<string>();
  try {
    const search = { scope: 'sub' as const, filter, attributes: ['1.1'], pageSize: options.pageSize };
    for await (const page of pagedSearch(client, options.baseDn, search)) {
      for (const entry of page.entries) dns.add(normalizeDn(entry.dn));
    }
  } catch (error) {
    throw toDirectoryError(error, 'search', `${where} (nested members of the scope groups)`);
  }
  return { dns, names: new Set() };
}

/** `(|(memberOf:1.2.840.113556.1.4.1941:=<group>)…)`, each DN escaped as a filter value. */
export function inChainFilter(groupDns: readonly string[]): string {
  const terms = groupDns.map((dn) => `(memberOf:1.2.840.113556.1.4.1941:=${escapeFilterValue(dn)})`);
  return terms.length === 1 ? terms[0]! : `(|${terms.join('')})`;
}

async function lookUp(
  client: Client,
  dn: string,
  filter: string,
  where: string,
): Promise<DirectoryEntry | undefined> {
  try {
    return await readEntry(client, dn, parseFilter(filter), groupAttributes);
  } catch (error) {
    throw toDirectoryError(error, 'search', `${where} (reading group ${dn})`);
  }
}

function isGroup(entry: DirectoryEntry): boolean {
  const classes = new Set(entry.strings('objectClass').map((c) => c.toLowerCase()));
  return groupClasses.some((c) => classes.has(c.toLowerCase()));
}

/** Active Directory sends big groups in ranges (`member;range=0-1499`); reading only the first would lose members. */
function refuseRangedValues(group: DirectoryEntry, where: string): void {
  const ranged = group.names().find((name) => /;range=/i.test(name));
  if (ranged === undefined) return;
  throw new DirectoryError(
    'incomplete-read',
    `${where}: group ${group.dn} sent its members in ranges (${ranged}); use the active-directory type for this server`,
  );
}

/**
 * groupOfNames and groupOfUniqueNames must have a member, so one that shows none hides them from
 * the bind account: reading it as empty would take everyone out of scope.
 */
function refuseHiddenMembers(group: DirectoryEntry, where: string): void {
  const classes = group.strings('objectClass').map((c) => c.toLowerCase());
  const mustHaveMembers = classes.includes('groupofnames') || classes.includes('groupofuniquenames');
  if (!mustHaveMembers || group.strings('member').length + group.strings('uniqueMember').length > 0) return;
  throw new DirectoryError(
    'incomplete-read',
    `${where}: group ${group.dn} shows no members although its class requires one; ` +
      'the bind account may not be allowed to read them',
  );
}

function normalizeOrWarn(dn: string, groupDn: string, log?: Logger): string | undefined {
  try {
    return normalizeDn(dn);
  } catch (error) {
    log?.warn({ group: groupDn, member: dn, error: (error as Error).message }, 'group member is not a DN');
    return undefined;
  }
}
