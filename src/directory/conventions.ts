import type { DirectoryType } from '../config/schema.js';
import type { DirectoryEntry } from './entry.js';
import { objectGuidToString } from './object-guid.js';

/** A value read off an entry, or why it could not be. */
export type Reading<T> = { ok: true; value: T } | { ok: false; reason: string };

/** How one directory product marks users, their immutable id and a disabled account. */
export interface DirectoryConventions {
  /** The filter that selects user entries; the configured filter is ANDed with it. */
  readonly userFilter: string;
  /** Attributes to read, besides the mapping's, to tell the id and whether the account is disabled. */
  readonly statusAttributes: readonly string[];
  readonly idAttribute: string;
  /** Attributes whose values must arrive as raw bytes. */
  readonly binaryAttributes: readonly string[];
  readId(entry: DirectoryEntry): Reading<string>;
  readDisabled(entry: DirectoryEntry): Reading<boolean>;
}

/**
 * OpenLDAP's ppolicy value for an account an administrator locked. Any other pwdAccountLockedTime
 * is the time of a lockout after too many wrong passwords.
 */
export const administrativeLockTime = '000001010000Z';

const inetOrgPerson = '(objectClass=inetOrgPerson)';

/** Settings that change a type's conventions. */
export interface ConventionOptions {
  /** Reads the id from this (text) attribute instead of the type's own. */
  readonly idAttribute?: string;
  /** Active Directory: an accountExpires in the past counts as disabled. */
  readonly expiredAccountsDisabled?: boolean;
  /** Returns `now` for the accountExpires check; tests pass a fixed clock. */
  readonly now?: () => number;
}

/** The conventions of a directory type. */
export function conventionsFor(type: DirectoryType, options: ConventionOptions = {}): DirectoryConventions {
  const { idAttribute } = options;
  switch (type) {
    case 'openldap':
    case 'generic':
      return textId(idAttribute ?? 'entryUUID', ppolicyDisabled());
    case '389ds':
      return textId(idAttribute ?? 'nsUniqueId', flagDisabled('nsAccountLock'));
    case 'pingdirectory':
      return textId(idAttribute ?? 'entryUUID', flagDisabled('ds-pwp-account-disabled'));
    case 'active-directory':
      if (idAttribute === undefined) return activeDirectory(options);
      return { ...textId(idAttribute, activeDirectoryDisabled(options)), userFilter: activeDirectoryUsers };
  }
}

/** Windows FILETIME (100 ns since 1601) of a JavaScript time; accountExpires is written in it. */
function fileTime(ms: number): bigint {
  return (BigInt(Math.trunc(ms)) + 11_644_473_600_000n) * 10_000n;
}

const activeDirectoryUsers = '(&(objectCategory=person)(objectClass=user))';

function activeDirectory(options: ConventionOptions): DirectoryConventions {
  const disabled = activeDirectoryDisabled(options);
  return {
    userFilter: activeDirectoryUsers,
    idAttribute: 'objectGUID',
    statusAttributes: ['objectGUID', ...disabled.attributes],
    binaryAttributes: ['objectGUID'],
    readId(entry) {
      const bytes = entry.buffers('objectGUID')[0];
      if (bytes === undefined) return { ok: false, reason: 'no objectGUID' };
      const id = objectGuidToString(bytes);
      return id
        ? { ok: true, value: id }
        : { ok: false, reason: `objectGUID is ${bytes.length} bytes, not 16` };
    },
    readDisabled: disabled.readDisabled,
  };
}

function activeDirectoryDisabled(options: ConventionOptions): DisabledRule {
  const expiry = options.expiredAccountsDisabled === true;
  const now = options.now ?? Date.now;
  return {
    attributes: ['userAccountControl', ...(expiry ? ['accountExpires'] : [])],
    readDisabled(entry) {
      const flags = entry.first('userAccountControl');
      if (flags === undefined) {
        return { ok: false, reason: 'no userAccountControl: cannot tell whether the account is disabled' };
      }
      if (!/^-?\d+$/.test(flags.trim()))
        return { ok: false, reason: `userAccountControl is not a number: ${flags}` };
      // ACCOUNTDISABLE. LOCKOUT (0x10) is a temporary lockout after wrong passwords, as for ppolicy.
      if ((Number.parseInt(flags, 10) & 0x2) !== 0) return { ok: true, value: true };
      if (!expiry) return { ok: true, value: false };

      // 0 and the largest 64-bit number both mean "never expires".
      const expires = entry.first('accountExpires')?.trim() ?? '0';
      if (!/^\d+$/.test(expires)) return { ok: false, reason: `accountExpires is not a number: ${expires}` };
      const at = BigInt(expires);
      return { ok: true, value: at !== 0n && at !== 0x7fffffffffffffffn && at <= fileTime(now()) };
    },
  };
}

type DisabledRule = Pick<DirectoryConventions, 'readDisabled'> & { attributes: readonly string[] };

function textId(idAttribute: string, disabled: DisabledRule): DirectoryConventions {
  return {
    userFilter: inetOrgPerson,
    idAttribute,
    statusAttributes: [idAttribute, ...disabled.attributes],
    binaryAttributes: [],
    readId(entry) {
      const id = entry.first(idAttribute)?.trim().toLowerCase();
      return id ? { ok: true, value: id } : { ok: false, reason: `no ${idAttribute}` };
    },
    readDisabled: disabled.readDisabled,
  };
}

/**
 * Only the administrative lock counts as disabled. A lockout after failed passwords is left alone
 * on purpose: anyone who knows a user name can cause one, so following it would let a stranger
 * switch a colleague's ServiceNow account off (and on again when the lockout expires), and it
 * says nothing about whether the person should have an account. The lockout still protects the
 * directory password itself.
 */
function ppolicyDisabled(): DisabledRule {
  return {
    attributes: ['pwdAccountLockedTime'],
    readDisabled: (entry) => ({
      ok: true,
      value: entry.strings('pwdAccountLockedTime').some((v) => v.trim() === administrativeLockTime),
    }),
  };
}

/** A boolean attribute that is TRUE when the account is disabled (389 nsAccountLock, Ping). */
function flagDisabled(attribute: string): DisabledRule {
  return {
    attributes: [attribute],
    readDisabled: (entry) => ({
      ok: true,
      value: entry.strings(attribute).some((v) => v.trim().toLowerCase() === 'true'),
    }),
  };
}
