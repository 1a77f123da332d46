import type { Config } from '../config/load.js';

/** The directory part of the configuration, with its bind password loaded. */
export type DirectorySettings = Config['directory'];

/** A person read from the directory, reduced to what provisioning needs. */
export interface DirectoryUser {
  /**
   * The directory's immutable id for the entry, as a lower-case string: entryUUID (OpenLDAP),
   * objectGUID in its registry format (Active Directory), nsUniqueId (389 Directory Server).
   * It survives renames and moves, so it names the user's workflow.
   */
  readonly id: string;
  /** The entry's DN as the server returned it (for messages; never an identity). */
  readonly dn: string;
  /** Value of the attribute matched to ServiceNow `user_name`; undefined when the entry has none. */
  readonly userName: string | undefined;
  /** False when the directory marks the account disabled or locked. */
  readonly enabled: boolean;
  /** Values of the attributes the mapping asked for, keyed by the attribute name as configured. */
  readonly attributes: Readonly<Record<string, readonly string[]>>;
}

/** An entry under the base DN that could not be used, and why. */
export interface SkippedEntry {
  readonly dn: string;
  readonly reason: string;
}

/** The complete set of users in scope. Only ever returned for a read that finished cleanly. */
export interface DirectoryScope {
  readonly users: readonly DirectoryUser[];
  /** User entries read under the base DN before the group criterion was applied. */
  readonly entriesRead: number;
  readonly skipped: readonly SkippedEntry[];
}
