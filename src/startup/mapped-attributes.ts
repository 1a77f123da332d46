import { mappedAttributes, type FieldMapping } from '../reconcile/desired-user.js';

/** One attribute the mapping reads that the schema does not define, with the setting that names it. */
export interface UnknownAttribute {
  readonly path: string;
  readonly attribute: string;
}

/**
 * The attributes the mapping reads that `schema` does not define. A misspelt attribute is on no
 * entry, so every user would look as if the attribute had been removed from them, and a reconcile
 * would clear the mapped field on every account.
 */
export function unknownMappedAttributes(
  schema: ReadonlySet<string>,
  mapping: FieldMapping & { readonly userName: string },
): UnknownAttribute[] {
  const known = (attribute: string) => schema.has(attribute.split(';')[0]!.toLowerCase());
  const read: UnknownAttribute[] = [{ path: 'mapping.userName', attribute: mapping.userName }];
  for (const [field, source] of Object.entries(mapping.fields)) {
    for (const attribute of mappedAttributes({ fields: { [field]: source } }))
      read.push({ path: `mapping.fields.${field}`, attribute });
  }
  return read.filter(({ attribute }) => !known(attribute));
}
