import type { DirectoryUser } from '../directory/types.js';

/** What ServiceNow should hold for one directory user in scope: computed from the directory alone. */
export interface DesiredUser {
  /** The directory's immutable id (names the user's workflow). */
  readonly directoryId: string;
  readonly userName: string;
  readonly enabled: boolean;
  /**
   * ServiceNow field name to value; '' when the directory has no value. A field is left out when
   * its attribute is gone and the mapping keeps removed attributes (the account keeps its value).
   */
  readonly fields: Readonly<Record<string, string>>;
}

/** Where one field's value comes from (the configuration's `mapping.fields` values). */
export type FieldSource =
  | string
  | { attribute: string; multiValue?: 'first' | 'join'; separator?: string; case?: 'lower' | 'upper' }
  | { constant: string }
  | { template: string; case?: 'lower' | 'upper' };

/** How directory attributes become ServiceNow fields. */
export interface FieldMapping {
  /** ServiceNow field name to where its value comes from. */
  readonly fields: Readonly<Record<string, FieldSource>>;
  /** For attributes with several values: the first (default), or all joined with `separator`. */
  readonly multiValue?: 'first' | 'join';
  readonly separator?: string;
  /** False: a field whose attributes are all gone is left as it is in ServiceNow. Default true. */
  readonly clearRemovedAttributes?: boolean;
}

/** ServiceNow's `user_name` column is 40 characters; a longer value would be silently truncated. */
export const maxUserNameLength = 40;

/** Either the desired state of a directory user, or why it cannot be provisioned. */
export type DesiredUserResult = { ok: true; user: DesiredUser } | { ok: false; reason: string };

const placeholder = /\{([A-Za-z][A-Za-z0-9-]*)\}/g;

/** Every directory attribute the mapping reads, for the reader to ask for. */
export function mappedAttributes(mapping: FieldMapping): string[] {
  const names = Object.values(mapping.fields).flatMap((source) => {
    if (typeof source === 'string') return [source];
    if ('attribute' in source) return [source.attribute];
    if ('template' in source) return [...source.template.matchAll(placeholder)].map((m) => m[1]!);
    return [];
  });
  const unique = new Map<string, string>();
  for (const name of names) if (!unique.has(name.toLowerCase())) unique.set(name.toLowerCase(), name);
  return [...unique.values()];
}

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
  for (const [field, source] of Object.entries(mapping.fields)) {
    const value = fieldValue(user.attributes, source, mapping);
    if (value !== undefined) fields[field] = value;
    else if (mapping.clearRemovedAttributes !== false) fields[field] = '';
  }
  return { ok: true, user: { directoryId: user.id, userName, enabled: user.enabled, fields } };
}

/** The field's value, or undefined when every attribute it reads is absent. */
function fieldValue(
  attributes: DirectoryUser['attributes'],
  source: FieldSource,
  mapping: FieldMapping,
): string | undefined {
  if (typeof source === 'string') return attributeValue(attributes, source, mapping);
  if ('constant' in source) return source.constant;
  if ('attribute' in source) {
    const value = attributeValue(attributes, source.attribute, { ...mapping, ...source });
    return value === undefined ? undefined : withCase(value, source.case);
  }

  let found = false;
  const text = source.template.replace(placeholder, (_, name: string) => {
    const value = attributeValue(attributes, name, mapping);
    if (value !== undefined) found = true;
    return value ?? '';
  });
  return found ? withCase(text.replace(/\s+/g, ' ').trim(), source.case) : undefined;
}

function attributeValue(
  attributes: DirectoryUser['attributes'],
  name: string,
  options: Pick<FieldMapping, 'multiValue' | 'separator'>,
): string | undefined {
  const values = valuesOf(attributes, name);
  if (values.length === 0) return undefined;
  return options.multiValue === 'join' ? values.join(options.separator ?? ', ') : values[0];
}

/** Attribute names are case-insensitive in LDAP; the reader keys values as configured, but be lenient. */
function valuesOf(attributes: DirectoryUser['attributes'], name: string): readonly string[] {
  const exact = attributes[name];
  if (exact) return exact;
  const lower = name.toLowerCase();
  const key = Object.keys(attributes).find((k) => k.toLowerCase() === lower);
  return (key && attributes[key]) || [];
}

function withCase(value: string, letterCase: 'lower' | 'upper' | undefined): string {
  if (letterCase === 'lower') return value.toLowerCase();
  if (letterCase === 'upper') return value.toUpperCase();
  return value;
}
