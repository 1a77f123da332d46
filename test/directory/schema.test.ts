import { Client, InsufficientAccessError } from 'ldapts';
import { startSlapd, type RunningSlapd } from '../../src/dev/slapd.js';
import { namesOfDefinition, readSchemaAttributeTypes } from '../../src/directory/schema.js';
import { unknownMappedAttributes } from '../../src/startup/mapped-attributes.js';

let slapd: RunningSlapd;
beforeAll(async () => {
  slapd = await startSlapd();
});
afterAll(async () => {
  await slapd?.stop();
});

/** A client whose searches answer as `search` says: a server that hides its schema, or has none. */
function clientAnswering(search: (base: string) => Promise<{ searchEntries: object[] }>): Client {
  return { search } as unknown as Client;
}

async function schemaOf(server: RunningSlapd) {
  const client = new Client({ url: server.url });
  await client.bind(server.readerDn, server.readerPassword);
  try {
    return await readSchemaAttributeTypes(client);
  } finally {
    await client.unbind();
  }
}

describe('the directory schema', () => {
  test('reads every attribute type the server defines, by each of its names and its OID', async () => {
    const schema = await schemaOf(slapd);
    for (const name of ['uid', 'givenname', 'sn', 'surname', 'mail', 'title', 'entryuuid', '2.5.4.12'])
      expect(schema?.has(name)).toBe(true);
    expect(schema?.has('titel')).toBe(false);
  });

  test('cannot tell anything when the schema cannot be read, is not named, or is empty', async () => {
    const refused = clientAnswering(() => Promise.reject(new InsufficientAccessError('no access')));
    const unnamed = clientAnswering(() => Promise.resolve({ searchEntries: [{ dn: '' }] }));
    const empty = clientAnswering((base) =>
      Promise.resolve({
        searchEntries: [base === '' ? { dn: '', subschemaSubentry: 'cn=Subschema' } : { dn: base }],
      }),
    );
    for (const client of [refused, unnamed, empty])
      await expect(readSchemaAttributeTypes(client)).resolves.toBeUndefined();
  });

  test('takes the OID and every name of a definition, single or listed, in lower case', () => {
    expect(namesOfDefinition("( 2.5.4.3 NAME ( 'cn' 'commonName' ) DESC 'RFC4519' SUP name )")).toEqual([
      '2.5.4.3',
      'cn',
      'commonname',
    ]);
    expect(
      namesOfDefinition(
        "( 1.2.840.113556.1.4.221 NAME 'sAMAccountName' SYNTAX '1.3.6.1.4.1.1466.115.121.1.15' )",
      ),
    ).toEqual(['1.2.840.113556.1.4.221', 'samaccountname']);
  });

  test('names each mapped attribute the schema lacks with the setting that reads it', () => {
    const schema = new Set(['uid', 'givenname', 'sn', 'mail', 'cn']);
    const mapping = {
      userName: 'uid',
      fields: {
        first_name: 'givenName',
        last_name: { attribute: 'sn', case: 'upper' as const },
        title: 'titel',
        email: { template: '{uid}@{mial}' },
        name: 'cn;lang-fr',
        company: { constant: 'Example' },
      },
    };
    expect(unknownMappedAttributes(schema, mapping)).toEqual([
      { path: 'mapping.fields.title', attribute: 'titel' },
      { path: 'mapping.fields.email', attribute: 'mial' },
    ]);
    expect(unknownMappedAttributes(schema, { userName: 'sAMAccountName', fields: {} })).toEqual([
      { path: 'mapping.userName', attribute: 'sAMAccountName' },
    ]);
  });
});
