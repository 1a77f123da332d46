import { normalizeDn } from './dn.js';
import type { DirectoryEntry } from './entry.js';

/** Who the scope groups hold, directly or through nested groups, however the server told it. */
export interface ScopeMembership {
  /** Normalised DNs of member entries (see normalizeDn). */
  readonly dns: ReadonlySet<string>;
  /** posixGroup memberUid values, in lower case: login names, not DNs. */
  readonly names: ReadonlySet<string>;
  /**
   * Active Directory: the RIDs (decimal) of the scope groups and the groups nested in them. A user
   * whose primaryGroupID is one of them is a member, although no `member` or memberOf says so.
   */
  readonly primaryGroupIds: ReadonlySet<string>;
  /** For `is-member-of`: the user attribute listing every group of the user, nested ones included. */
  readonly memberOfAttribute?: string;
  /**
   * Normalised DNs of the scope groups and every group nested in them, each with a fingerprint of
   * its members: a change to one of these groups can change the scope.
   */
  readonly groups: ReadonlyMap<string, string>;
}

/** The user attributes the membership check reads, besides the user's DN. */
export function membershipAttributes(mode: 'walk' | 'in-chain' | 'is-member-of', ad: boolean): string[] {
  if (mode === 'is-member-of') return ['isMemberOf'];
  // posixGroup members are named by uid.
  return ad ? ['primaryGroupID'] : ['uid'];
}

/** The attribute in which PingDirectory lists every group of a user, nested groups included. */
export const isMemberOfAttribute = 'isMemberOf';

/**
 * Every user attribute isMember may read, besides the DN, whatever the mode: what a reader must
 * keep of an entry whose membership it decides after the search. A posixGroup's memberUid names
 * users by uid in every kind of directory.
 */
export const memberCheckAttributes: readonly string[] = ['uid', 'primaryGroupID', isMemberOfAttribute];

/** True when the entry is in one of the scope groups; 'unknown' when its DN cannot be parsed. */
export function isMember(entry: DirectoryEntry, membership: ScopeMembership): boolean | 'unknown' {
  if (entry.strings('uid').some((uid) => membership.names.has(uid.trim().toLowerCase()))) return true;
  const primary = entry.first('primaryGroupID')?.trim();
  if (primary !== undefined && membership.primaryGroupIds.has(primary)) return true;
  if (membership.memberOfAttribute !== undefined) {
    return entry
      .strings(membership.memberOfAttribute)
      .some((dn) => membership.groups.has(normalizeOrUndefined(dn) ?? ''));
  }
  const dn = normalizeOrUndefined(entry.dn);
  return dn === undefined ? 'unknown' : membership.dns.has(dn);
}

/** normalizeDn, or undefined for text that is not a DN. */
export function normalizeOrUndefined(dn: string): string | undefined {
  try {
    return normalizeDn(dn);
  } catch {
    return undefined;
  }
}

/**
 * The relative id of an Active Directory objectSid: its last sub-authority, little-endian. A
 * group's RID is the primaryGroupID of the users whose primary group it is.
 */
export function ridOf(sid: Uint8Array | undefined): string | undefined {
  if (sid === undefined || sid.length < 12) return undefined;
  const count = sid[1]!;
  if (sid.length !== 8 + 4 * count || count === 0) return undefined;
  return String(Buffer.from(sid).readUInt32LE(8 + 4 * (count - 1)));
}
