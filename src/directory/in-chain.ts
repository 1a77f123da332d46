import type { Client } from 'ldapts';
import { normalizeDn } from './dn.js';
import type { DirectoryEntry } from './entry.js';
import { DirectoryError, toDirectoryError } from './errors.js';
import { andFilters, escapeFilterValue, parseFilter } from './filter.js';
import { normalizeOrUndefined, ridOf, type ScopeMembership } from './membership.js';
import { pagedSearch } from './paged-search.js';
import { readGroupMembers, readScopeGroup } from './scope-groups.js';

export interface InChainOptions {
  readonly baseDn: string;
  readonly userFilter: string;
  readonly groupDns: readonly string[];
  readonly pageSize: number;
  /** Normalised DNs of the user entries read under the base DN. */
  readonly userDns: ReadonlySet<string>;
  readonly where: string;
}

const inChainRule = '1.2.840.113556.1.4.1941';

/**
 * Active Directory resolves nesting itself with LDAP_MATCHING_RULE_IN_CHAIN. The rule never counts
 * a primary group (Domain Users, as a rule), which no `member` or memberOf lists either: users
 * whose primaryGroupID is the RID of a scope group, or of a group nested in one, are added.
 *
 * A server that does not know the rule matches nobody instead of failing, which would look like
 * "everyone left": so every direct member of a scope group that is a user under the base DN must
 * be among the users the rule found, or the read throws DirectoryError('unsupported').
 */
export async function readScopeMembershipInChain(
  client: Client,
  options: InChainOptions,
): Promise<ScopeMembership> {
  const groupOptions = { where: options.where, activeDirectory: true };
  const primaryGroupIds = new Set<string>();
  const groups = new Map<string, string>();
  const directMembers: string[] = [];
  for (const dn of options.groupDns) {
    const group = await readScopeGroup(client, dn, groupOptions);
    const members = await readGroupMembers(client, group, options.where);
    groups.set(normalizeDn(dn), members.fingerprint);
    directMembers.push(...members.dns);
    const rid = ridOf(group.buffers('objectSid')[0]);
    if (rid !== undefined) primaryGroupIds.add(rid);
  }

  const dns = new Set<string>();
  const userFilter = andFilters(options.userFilter, inChainFilter(options.groupDns));
  await search(client, options.baseDn, userFilter, options, (entry) => dns.add(normalizeDn(entry.dn)));
  for (const base of new Set(options.groupDns.map(domainOf))) {
    const nested = andFilters('(objectClass=group)', inChainFilter(options.groupDns));
    await search(client, base, nested, options, (entry) => {
      // Nested groups' members are not read here: an empty fingerprint makes any change to them count.
      groups.set(normalizeDn(entry.dn), '');
      const rid = ridOf(entry.buffers('objectSid')[0]);
      if (rid !== undefined) primaryGroupIds.add(rid);
    });
  }

  const missed = directMembers.find((raw) => {
    const dn = normalizeOrUndefined(raw);
    return dn !== undefined && options.userDns.has(dn) && !dns.has(dn);
  });
  if (missed !== undefined) {
    throw new DirectoryError(
      'unsupported',
      `${options.where}: the in-chain matching rule did not find ${missed}, a direct member of a scope ` +
        'group; this server does not evaluate it (set directory.groupMembership to walk)',
    );
  }
  return { dns, names: new Set(), primaryGroupIds, groups };
}

/** `(|(memberOf:1.2.840.113556.1.4.1941:=<group>)…)`, each DN escaped as a filter value. */
export function inChainFilter(groupDns: readonly string[]): string {
  const terms = groupDns.map((dn) => `(memberOf:${inChainRule}:=${escapeFilterValue(dn)})`);
  return terms.length === 1 ? terms[0]! : `(|${terms.join('')})`;
}

/** The domain a group lives in: its trailing `dc=` RDNs, or its parent when it has none. */
function domainOf(groupDn: string): string {
  const rdns = groupDn.split(/,(?=\s*[A-Za-z][\w-]*\s*=)/);
  const first = rdns.findIndex((rdn, i) => rdns.slice(i).every((r) => /^\s*dc\s*=/i.test(r)));
  return first > 0 ? rdns.slice(first).join(',') : rdns.slice(1).join(',');
}

async function search(
  client: Client,
  baseDn: string,
  filter: string,
  options: InChainOptions,
  onEntry: (entry: DirectoryEntry) => void,
): Promise<void> {
  try {
    const search = {
      scope: 'sub' as const,
      filter: parseFilter(filter),
      attributes: ['objectSid'],
      binaryAttributes: ['objectSid'],
      pageSize: options.pageSize,
    };
    for await (const page of pagedSearch(client, baseDn, search)) page.entries.forEach(onEntry);
  } catch (error) {
    throw toDirectoryError(error, 'search', `${options.where} (nested members of the scope groups)`);
  }
}
