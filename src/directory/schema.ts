import type { Client } from 'ldapts';

/**
 * The attribute types the server's schema defines, as lower-case names and OIDs, read from the
 * subschema entry the root DSE names (RFC 4512; OpenLDAP, 389, PingDirectory and Active Directory
 * all publish one). Undefined when it cannot be read (no subschemaSubentry, no right to read it, no
 * attributeTypes): then nobody can tell a misspelt attribute from a real one, and nothing is refused.
 */
export async function readSchemaAttributeTypes(client: Client): Promise<ReadonlySet<string> | undefined> {
  try {
    const root = await client.search('', {
      scope: 'base',
      filter: '(objectClass=*)',
      attributes: ['subschemaSubentry'],
    });
    const subschema = valuesOf(root.searchEntries[0]?.subschemaSubentry)[0];
    if (subschema === undefined) return undefined;

    const schema = await client.search(subschema, {
      scope: 'base',
      filter: '(objectClass=*)',
      attributes: ['attributeTypes'],
    });
    const definitions = valuesOf(schema.searchEntries[0]?.attributeTypes);
    const names = new Set(definitions.flatMap(namesOfDefinition));
    return names.size > 0 ? names : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The OID and every NAME of one attributeTypes value, lower-cased:
 * `( 2.5.4.3 NAME ( 'cn' 'commonName' ) SUP name )` gives 2.5.4.3, cn, commonname.
 */
export function namesOfDefinition(definition: string): string[] {
  const oid = /^\(\s*([0-9][0-9.]*)/.exec(definition)?.[1];
  const names = /\bNAME\s+(?:'([^']*)'|\(([^)]*)\))/.exec(definition);
  const listed =
    names?.[1] !== undefined ? [names[1]] : [...(names?.[2] ?? '').matchAll(/'([^']*)'/g)].map((m) => m[1]!);
  return [...(oid ? [oid] : []), ...listed].map((name) => name.toLowerCase());
}

function valuesOf(value: string | string[] | Buffer | Buffer[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => v.toString());
}
