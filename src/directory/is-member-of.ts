import type { Client } from 'ldapts';
import { normalizeDn } from './dn.js';
import type { DirectoryEntry } from './entry.js';
import { DirectoryError } from './errors.js';
import { isMemberOfAttribute, normalizeOrUndefined, type ScopeMembership } from './membership.js';
import { readGroupMembers, readScopeGroup } from './scope-groups.js';

/**
 * Membership as the server computes it into each user's isMemberOf (PingDirectory), so no group is
 * walked. The scope groups are still read: they must exist, and each direct member that is a user
 * under the base DN must list its group in isMemberOf; otherwise the bind account cannot read the
 * attribute and everyone would look out of scope, so the read throws DirectoryError('unsupported').
 */
export async function readScopeMembershipByAttribute(
  client: Client,
  groupDns: readonly string[],
  users: readonly DirectoryEntry[],
  where: string,
): Promise<ScopeMembership> {
  const groups = new Map<string, string>();
  const byDn = new Map(users.map((user) => [normalizeOrUndefined(user.dn) ?? '', user]));

  for (const dn of groupDns) {
    const group = await readScopeGroup(client, dn, { where, activeDirectory: false });
    const members = await readGroupMembers(client, group, where);
    const groupDn = normalizeDn(dn);
    groups.set(groupDn, members.fingerprint);

    const unlisted = members.dns.find((raw) => {
      const user = byDn.get(normalizeOrUndefined(raw) ?? '\0');
      return (
        user !== undefined &&
        !user.strings(isMemberOfAttribute).some((g) => normalizeOrUndefined(g) === groupDn)
      );
    });
    if (unlisted !== undefined) {
      throw new DirectoryError(
        'unsupported',
        `${where}: ${unlisted} is a member of scope group ${dn} but its ${isMemberOfAttribute} does not say so; ` +
          'the bind account may not read it (set directory.groupMembership to walk)',
      );
    }
  }
  return {
    dns: new Set(),
    names: new Set(),
    primaryGroupIds: new Set(),
    memberOfAttribute: isMemberOfAttribute,
    groups,
  };
}
