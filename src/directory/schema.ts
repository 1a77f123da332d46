import type { Client } from 'ldapts';

/**
 * The attribute types a directory defines: each of their names and OIDs, in lower case, to the
 * type's first name as the schema spells it (`surname` → `sn`): the name the server answers with.
 */
export type AttributeSchema = ReadonlyMap<string, string>;

/**
 * The attribute types of the server's schema, read from the subschema entry the root DSE names
 * (RFC 4512; OpenLDAP, 389, PingDirectory and Active Directory all publish one). Undefined when it
 * cannot be read (no subschemaSubentry, no right to read it, no attributeTypes): then nobody can
 * tell a misspelt attribute from a real one, and nothing is refused.
 */
export async function readSchemaAttributeTypes(client: Client): Promise<AttributeSchema | undefined> {
  try {
    const root = await client.search('', {
      scope: 'base',
      filter: '(objectClass=*)',
      attributes: ['subschemaSubentry'],
    });
    const subschema = valuesOf(root.searchEntries[0], 'subschemaSubentry')[0];
    if (subschema === undefined) return undefined;

    const schema = await client.search(subschema, {
      scope: 'base',
      filter: '(objectClass=*)',
      attributes: ['attributeTypes'],
    });
    const types = new Map<string, string>();
    for (const definition of valuesOf(schema.searchEntries[0], 'attributeTypes')) {
      const { oid, names } = attributeTypeNames(definition);
      const first = names[0];
      if (first === undefined) continue;
      for (const name of [...names, ...(oid ? [oid] : [])]) types.set(name.toLowerCase(), first);
    }
    return types.size > 0 ? types : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The OID and the NAMEs of one attributeTypes value (RFC 4512 4.1.2), as written:
 * `( 2.5.4.4 NAME ( 'sn' 'surname' ) SUP name )` gives 2.5.4.4 and sn, surname. Quoted text
 * (a DESC, an extension's value) is never read as a keyword.
 */
export function attributeTypeNames(definition: string): { oid: string | undefined; names: string[] } {
  const tokens: string[] = definition.match(/'(?:[^'\\]|\\.)*'|[()]|[^\s()']+/g) ?? [];
  const oid = tokens[0] === '(' && /^[0-9][0-9.]*$/.test(tokens[1] ?? '') ? tokens[1] : undefined;
  const at = tokens.findIndex((token) => token.toUpperCase() === 'NAME');
  if (at < 0) return { oid, names: [] };

  const following =
    tokens[at + 1] === '(' ? tokens.slice(at + 2, tokens.indexOf(')', at + 2)) : [tokens[at + 1]];
  const names = following.flatMap((token) => (token?.startsWith("'") ? [token.slice(1, -1)] : []));
  return { oid, names };
}

/** The text values of an attribute of a search entry, found by name without regard to case. */
function valuesOf(entry: Record<string, unknown> | undefined, name: string): string[] {
  const key = Object.keys(entry ?? {}).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : entry![key];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((v: unknown) => String(v));
}
