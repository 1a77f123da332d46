import type { DirectoryUser } from '../directory/types.js';

/** What ServiceNow should hold for one directory user in scope: computed from the directory alone. */
export interface DesiredUser {
  /** The directory's immutable id (names the user's workflow). */
  readonly directoryId: string;
  readonly userName: string;
  readonly enabled: boolean;
  /** ServiceNow field name to value; '' when the directory has no value. */
  readonly fields: Readonly<Record<string, string>>;
}

/** How directory attributes become ServiceNow fields. */
export interface FieldMapping {
  /** ServiceNow field name to directory attribute name. */
  readonly fields: Readonly<Record<string, string>>;
}

/** ServiceNow's `user_name` column is 40 characters; a longer value would be silently truncated. */
export const maxUserNameLength = 40;

/** Either the desired state of a directory user, or why it cannot be provisioned. */
export type DesiredUserResult = { ok: true; user: DesiredUser } | { ok: false; reason: string };

/** Maps one directory user to its desired ServiceNow state. Pure: same input, same output. */
export function toDesiredUser(user: DirectoryUser, mapping: FieldMapping): DesiredUserResult {
  const userName = user.userName?.trim() ?? '';
  if (userName === '') {
    return { ok: false, reason: 'the entry has no value for the user name attribute' };
  }
  if (userName.length > maxUserNameLength) {
    return {
      ok: false,
      reason: `user name is ${userName.length} characters; ServiceNow allows ${maxUserNameLength}`,
    };
  }

  const fields: Record<string, string> = {};
  for (const [field, attribute] of Object.entries(mapping.fields)) {
    fields[field] = firstValue(user.attributes, attribute);
  }
  return { ok: true, user: { directoryId: user.id, userName, enabled: user.enabled, fields } };
}

/** Attribute names are case-insensitive in LDAP; the reader keys values as configured, but be lenient. */
function firstValue(attributes: DirectoryUser['attributes'], name: string): string {
  const exact = attributes[name];
  if (exact) return exact[0] ?? '';
  const lower = name.toLowerCase();
  const key = Object.keys(attributes).find((k) => k.toLowerCase() === lower);
  return (key && attributes[key]?.[0]) ?? '';
}
