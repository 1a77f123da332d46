import type { Client } from 'ldapts';
import { readSchemaAttributeTypes, type AttributeSchema } from '../directory/schema.js';
import { mappedAttributes, type FieldMapping } from '../reconcile/desired-user.js';

type Mapping = FieldMapping & { readonly userName: string };

/** An attribute the mapping reads that no entry will carry under that name, with the setting that names it. */
export interface MappedAttributeProblem {
  readonly path: string;
  readonly attribute: string;
  /** What is wrong, for a person: the schema lacks it, or it is another name of a type. */
  readonly text: string;
}

/** Every directory attribute the mapping reads, with the setting that names it. */
function attributesReadBy(mapping: Mapping): { path: string; attribute: string }[] {
  const read = [{ path: 'mapping.userName', attribute: mapping.userName }];
  for (const [field, source] of Object.entries(mapping.fields)) {
    for (const attribute of mappedAttributes({ fields: { [field]: source } }))
      read.push({ path: `mapping.fields.${field}`, attribute });
  }
  return read;
}

/** The directory attributes the mapping reads, each once whatever its case: for messages. */
export function mappedAttributeNames(mapping: Mapping): string[] {
  const names = attributesReadBy(mapping).map(({ attribute }) => attribute);
  return [...new Map(names.map((name) => [name.toLowerCase(), name])).values()];
}

/**
 * The attributes the mapping reads that entries will not carry under that name: the schema does
 * not define them (misspelt), or they are another name of a type the server answers with by its
 * first name (`surname` comes back as `sn`). Either way every user would look as if the attribute
 * had been removed, and a reconcile would clear the mapped field on every account.
 */
export function mappedAttributeProblems(schema: AttributeSchema, mapping: Mapping): MappedAttributeProblem[] {
  return attributesReadBy(mapping).flatMap(({ path, attribute }) => {
    const [name = '', ...options] = attribute.split(';');
    const first = schema.get(name.toLowerCase());
    if (first === undefined)
      return [{ path, attribute, text: `the directory's schema has no attribute ${name}` }];
    if (first.toLowerCase() === name.toLowerCase()) return [];
    const instead = [first, ...options].join(';');
    return [
      {
        path,
        attribute,
        text: `${name} is another name of ${first}, which the directory answers with: map ${instead}`,
      },
    ];
  });
}

/**
 * Reads the directory's schema on `client` and compares the mapping with it; undefined when the
 * schema cannot be read, so nothing can be said either way.
 */
export async function findMappedAttributeProblems(
  client: Client,
  mapping: Mapping,
): Promise<MappedAttributeProblem[] | undefined> {
  const schema = await readSchemaAttributeTypes(client);
  return schema && mappedAttributeProblems(schema, mapping);
}

/** The problems as one line: `mapping.fields.title: the directory's schema has no attribute titel; …`. */
export function describeMappedAttributeProblems(problems: readonly MappedAttributeProblem[]): string {
  return problems.map((p) => `${p.path}: ${p.text}`).join('; ');
}
