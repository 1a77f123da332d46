import { andFilters, escapeFilterValue, parseFilter } from '../../src/directory/filter.js';
import { inChainFilter } from '../../src/directory/in-chain.js';

describe('filter values', () => {
  test('escape the characters RFC 4515 reserves', () => {
    expect(escapeFilterValue('a*b(c)d\\e\0f')).toBe('a\\2ab\\28c\\29d\\5ce\\00f');
  });

  test('keep non-ASCII characters as UTF-8', () => {
    expect(escapeFilterValue('Jürgen Ødegård 李')).toBe('Jürgen Ødegård 李');
  });

  test('survive parsing unchanged, whatever they hold', () => {
    const value = 'Smith, (John) * \\ Müller';
    const filter = parseFilter(`(cn=${escapeFilterValue(value)})`);
    expect(filter).toMatchObject({ attribute: 'cn', value });
  });
});

describe('configured filters', () => {
  test('are ANDed with the user filter, with or without parentheses', () => {
    expect(andFilters('(objectClass=inetOrgPerson)', 'departmentNumber=1100')).toBe(
      '(&(objectClass=inetOrgPerson)(departmentNumber=1100))',
    );
    expect(andFilters('(objectClass=inetOrgPerson)', undefined)).toBe('(objectClass=inetOrgPerson)');
  });

  test('may escape non-ASCII characters as UTF-8 bytes', () => {
    expect(parseFilter('(sn=M\\c3\\bcller)')).toMatchObject({ value: 'Müller' });
  });

  test('are refused when they do not parse, with the bad-filter code', () => {
    const failure = (filter: string) => {
      try {
        parseFilter(filter);
      } catch (error) {
        return error;
      }
    };
    expect(failure('(&(uid=a)(')).toMatchObject({ name: 'DirectoryError', code: 'bad-filter' });
    expect(failure('(objectGUID=\\ff\\fe)')).toMatchObject({ code: 'bad-filter' });
  });
});

describe('the Active Directory nested-membership filter', () => {
  test('names each scope group with the in-chain matching rule, its DN escaped', () => {
    const filter = inChainFilter(['cn=Smith\\, John (staff),ou=groups,dc=corp', 'cn=b,dc=corp']);
    expect(filter).toBe(
      '(|(memberOf:1.2.840.113556.1.4.1941:=cn=Smith\\5c, John \\28staff\\29,ou=groups,dc=corp)' +
        '(memberOf:1.2.840.113556.1.4.1941:=cn=b,dc=corp))',
    );
    const parsed = parseFilter(filter);
    expect(parsed).toMatchObject({
      filters: [
        {
          matchType: 'memberOf',
          rule: '1.2.840.113556.1.4.1941',
          value: 'cn=Smith\\, John (staff),ou=groups,dc=corp',
        },
        {},
      ],
    });
  });
});
