import { memberValueDn, normalizeDn } from '../../src/directory/dn.js';

const same = (a: string, b: string) => expect(normalizeDn(a)).toBe(normalizeDn(b));

describe('DN normalisation', () => {
  test('ignores case in attribute types and values', () => {
    same('UID=JSmith,OU=People,DC=Example,DC=com', 'uid=jsmith,ou=people,dc=example,dc=com');
  });

  test('ignores spaces around separators but keeps spaces inside values', () => {
    same('cn=John Smith , ou = People,  dc=example', 'cn=john smith,ou=people,dc=example');
    expect(normalizeDn('cn=John  Smith')).not.toBe(normalizeDn('cn=John Smith'));
  });

  test('treats an escaped comma, its hex escape and a quoted value as the same character', () => {
    same('cn=Smith\\, John,ou=people', 'cn=Smith\\2C John,ou=people');
    same('cn=Smith\\2c John,ou=people', 'cn="Smith, John",ou=people');
  });

  test('gives the same result whether or not a DN uses escapes that change nothing', () => {
    same('cn=Jane Doe,ou=People,dc=example', 'cn=Jane\\20Doe,ou=People,dc=example');
    same('uid=jdoe,ou=people', 'uid=\\6Adoe,ou=people');
  });

  test('decodes hex-escaped UTF-8 so it matches the plain character', () => {
    same('cn=J\\C3\\BCrgen M\\c3\\bcller,ou=people', 'cn=Jürgen Müller,ou=people');
  });

  test('keeps an escaped trailing space and drops an unescaped one', () => {
    expect(normalizeDn('cn=trailing\\ ')).not.toBe(normalizeDn('cn=trailing'));
    same('cn=trailing ', 'cn=trailing');
  });

  test('puts the parts of a multi-valued RDN in a fixed order', () => {
    same('cn=Pat+uid=pat,dc=example', 'UID=pat + CN=Pat,dc=example');
  });

  test('tells different DNs apart', () => {
    expect(normalizeDn('cn=a\\,b,dc=x')).not.toBe(normalizeDn('cn=a,cn=b,dc=x'));
    expect(normalizeDn('cn=a+cn=b,dc=x')).not.toBe(normalizeDn('cn=a\\+cn=b,dc=x'));
  });

  test('gives the empty DN as an empty string and refuses text that is not a DN', () => {
    expect(normalizeDn('')).toBe('');
    expect(() => normalizeDn('just a name')).toThrow(/not a DN/);
    expect(() => normalizeDn('cn=a,')).toThrow(/not a DN/);
  });

  test('reads the DN out of a uniqueMember value with an optional uid', () => {
    expect(memberValueDn("uid=jsmith,ou=people,dc=example#'0101'B")).toBe('uid=jsmith,ou=people,dc=example');
    expect(memberValueDn('uid=jsmith,ou=people,dc=example')).toBe('uid=jsmith,ou=people,dc=example');
  });
});

describe('DN attribute types', () => {
  test('are the same under their long names, their OIDs and their short names', () => {
    same(
      'commonName=Pat,organizationalUnitName=People,domainComponent=example',
      'cn=pat,ou=people,dc=example',
    );
    same('2.5.4.3=Pat,OID.2.5.4.11=People,0.9.2342.19200300.100.1.25=example', 'CN=Pat,OU=People,DC=example');
    same('userid=jdoe,ou=people', 'uid=jdoe,ou=people');
  });

  test('read a BER-encoded string value as its text', () => {
    same('cn=#04024869,ou=people', 'cn=Hi,ou=people');
    expect(normalizeDn('cn=#0402ffff')).not.toBe(normalizeDn('cn=ffff'));
  });
});
