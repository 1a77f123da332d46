import { Client, InsufficientAccessError } from 'ldapts';
import { startSlapd, type RunningSlapd } from '../../src/dev/slapd.js';
import { attributeTypeNames, readSchemaAttributeTypes } from '../../src/directory/schema.js';
import { mappedAttributeProblems } from '../../src/startup/mapped-attributes.js';

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
  test('reads every attribute type the server defines, by each of its names and its OID, to its first name', async () => {
    const schema = await schemaOf(slapd);
    expect(schema?.get('sn')).toBe('sn');
    expect(schema?.get('surname')).toBe('sn');
    expect(schema?.get('2.5.4.12')).toBe('title');
    for (const name of ['uid', 'givenname', 'mail', 'entryuuid', 'pwdaccountlockedtime'])
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

  test('takes the OID and the names of a definition, never a keyword inside quoted text', () => {
    expect(attributeTypeNames("( 2.5.4.4 NAME ( 'sn' 'surname' ) DESC 'RFC2256' SUP name )")).toEqual({
      oid: '2.5.4.4',
      names: ['sn', 'surname'],
    });
    expect(
      attributeTypeNames(
        "( 1.2.840.113556.1.4.221 NAME 'sAMAccountName' SYNTAX '1.3.6.1.4.1.1466.115.121.1.15' )",
      ),
    ).toEqual({ oid: '1.2.840.113556.1.4.221', names: ['sAMAccountName'] });
    expect(attributeTypeNames("(1.2.3 DESC 'see NAME (x)' X-ORIG-NAME 'other' NAME('real'))")).toEqual({
      oid: '1.2.3',
      names: ['real'],
    });
    expect(attributeTypeNames("( 1.2.3\n  name 'lower'\n  SINGLE-VALUE )")).toEqual({
      oid: '1.2.3',
      names: ['lower'],
    });
  });

  test('names each mapped attribute the schema lacks, or knows by another first name, with its setting', () => {
    const schema = new Map([
      ['uid', 'uid'],
      ['givenname', 'givenName'],
      ['sn', 'sn'],
      ['surname', 'sn'],
      ['mail', 'mail'],
      ['cn', 'cn'],
      ['commonname', 'cn'],
    ]);
    const mapping = {
      userName: 'uid',
      fields: {
        first_name: 'givenName',
        last_name: { attribute: 'surname', case: 'upper' as const },
        title: 'titel',
        email: { template: '{uid}@{mial}' },
        name: 'commonName;lang-fr',
        nickname: 'CN;lang-fr',
        company: { constant: 'Example' },
      },
    };
    expect(mappedAttributeProblems(schema, mapping)).toEqual([
      {
        path: 'mapping.fields.last_name',
        attribute: 'surname',
        text: 'surname is another name of sn, which the directory answers with: map sn',
      },
      {
        path: 'mapping.fields.title',
        attribute: 'titel',
        text: "the directory's schema has no attribute titel",
      },
      {
        path: 'mapping.fields.email',
        attribute: 'mial',
        text: "the directory's schema has no attribute mial",
      },
      {
        path: 'mapping.fields.name',
        attribute: 'commonName;lang-fr',
        text: 'commonName is another name of cn, which the directory answers with: map cn;lang-fr',
      },
    ]);
    expect(mappedAttributeProblems(schema, { userName: 'sAMAccountName', fields: {} })).toEqual([
      {
        path: 'mapping.userName',
        attribute: 'sAMAccountName',
        text: "the directory's schema has no attribute sAMAccountName",
      },
    ]);
  });
});
