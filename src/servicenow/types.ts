import type { Config } from '../config/load.js';

/** The ServiceNow part of the configuration, with its credentials loaded. */
export type ServiceNowSettings = Config['servicenow'];

/** A `sys_user` record as the product sees it: the fields it manages plus the mapped ones. */
export interface ServiceNowUser {
  readonly sysId: string;
  readonly userName: string;
  readonly active: boolean;
  readonly lockedOut: boolean;
  /** Mapped field values exactly as ServiceNow returned them (strings; empty string when unset). */
  readonly fields: Readonly<Record<string, string>>;
}

/** What the product writes when it creates an account. */
export interface NewServiceNowUser {
  readonly userName: string;
  readonly active: boolean;
  readonly fields: Readonly<Record<string, string>>;
}

/** A partial update of an account; only the keys present are written. */
export interface ServiceNowUserChanges {
  readonly userName?: string;
  readonly active?: boolean;
  readonly fields?: Readonly<Record<string, string>>;
}
