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

const conventions: Record<DirectoryType, DirectoryConventions> = {
  openldap: textId('entryUUID', ppolicyDisabled()),
  generic: textId('entryUUID', ppolicyDisabled()),
  '389ds': textId('nsUniqueId', flagDisabled('nsAccountLock')),
  pingdirectory: textId('entryUUID', flagDisabled('ds-pwp-account-disabled')),
  'active-directory': {
    userFilter: '(&(objectCategory=person)(objectClass=user))',
    idAttribute: 'objectGUID',
    statusAttributes: ['objectGUID', 'userAccountControl'],
    binaryAttributes: ['objectGUID'],
    readId(entry) {
      const bytes = entry.buffers('objectGUID')[0];
      if (bytes === undefined) return { ok: false, reason: 'no objectGUID' };
      const id = objectGuidToString(bytes);
      return id
        ? { ok: true, value: id }
        : { ok: false, reason: `objectGUID is ${bytes.length} bytes, not 16` };
    },
    readDisabled(entry) {
      const flags = entry.first('userAccountControl');
      if (flags === undefined) {
        return { ok: false, reason: 'no userAccountControl: cannot tell whether the account is disabled' };
      }
      if (!/^-?\d+$/.test(flags.trim()))
        return { ok: false, reason: `userAccountControl is not a number: ${flags}` };
      // ACCOUNTDISABLE. LOCKOUT (0x10) is a temporary lockout after wrong passwords, as for ppolicy.
      return { ok: true, value: (Number.parseInt(flags, 10) & 0x2) !== 0 };
    },
  },
};

/** The conventions of a directory type. */
export function conventionsFor(type: DirectoryType): DirectoryConventions {
  return conventions[type];
}

type DisabledRule = Pick<DirectoryConventions, 'readDisabled'> & { attribute: string };

function textId(idAttribute: string, disabled: DisabledRule): DirectoryConventions {
  return {
    userFilter: inetOrgPerson,
    idAttribute,
    statusAttributes: [idAttribute, disabled.attribute],
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
    attribute: 'pwdAccountLockedTime',
    readDisabled: (entry) => ({
      ok: true,
      value: entry.strings('pwdAccountLockedTime').some((v) => v.trim() === administrativeLockTime),
    }),
  };
}

/** A boolean attribute that is TRUE when the account is disabled (389 nsAccountLock, Ping). */
function flagDisabled(attribute: string): DisabledRule {
  return {
    attribute,
    readDisabled: (entry) => ({
      ok: true,
      value: entry.strings(attribute).some((v) => v.trim().toLowerCase() === 'true'),
    }),
  };
}
