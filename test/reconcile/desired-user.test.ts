import type { DirectoryUser } from '../../src/directory/types.js';
import { mappedAttributes, toDesiredUser, type FieldMapping } from '../../src/reconcile/desired-user.js';

function person(attributes: Record<string, string[]>): DirectoryUser {
  return { id: 'id-1', dn: 'uid=pat,ou=people', userName: 'pat', enabled: true, attributes };
}

function fields(mapping: FieldMapping, attributes: Record<string, string[]>): Record<string, string> {
  const result = toDesiredUser(person(attributes), mapping);
  if (!result.ok) throw new Error(result.reason);
  return { ...result.user.fields };
}

describe('the field mapping', () => {
  test('takes the first value of a multi-valued attribute by default, in the order the server sent', () => {
    expect(
      fields({ fields: { phone: 'telephoneNumber' } }, { telephoneNumber: ['+1 555', '+1 666'] }),
    ).toEqual({
      phone: '+1 555',
    });
  });

  test('joins every value when configured to, for the whole mapping or one field', () => {
    const attributes = { telephoneNumber: ['+1 555', '+1 666'], ou: ['Sales', 'EMEA'] };
    expect(
      fields({ fields: { phone: 'telephoneNumber' }, multiValue: 'join', separator: ' / ' }, attributes),
    ).toEqual({ phone: '+1 555 / +1 666' });
    expect(
      fields(
        { fields: { department: { attribute: 'ou', multiValue: 'join', separator: '; ' } } },
        attributes,
      ),
    ).toEqual({ department: 'Sales; EMEA' });
  });

  test('empties the field of a removed attribute, or leaves it out when removals are kept', () => {
    const mapping = { fields: { title: 'title', email: 'mail' } };
    expect(fields(mapping, { mail: ['a@example.com'] })).toEqual({ title: '', email: 'a@example.com' });
    expect(fields({ ...mapping, clearRemovedAttributes: false }, { mail: ['a@example.com'] })).toEqual({
      email: 'a@example.com',
    });
  });

  test('writes constants, templates of several attributes, and lower or upper case', () => {
    const mapping: FieldMapping = {
      fields: {
        source: { constant: 'directory' },
        name: { template: '{givenName} {sn}' },
        email: { attribute: 'mail', case: 'lower' },
        code: { template: '{departmentNumber}-{l}', case: 'upper' },
      },
    };
    expect(
      fields(mapping, { givenName: ['Zoë'], sn: ['Ångström'], mail: ['Zoe@Example.COM'], l: ['emea'] }),
    ).toEqual({ source: 'directory', name: 'Zoë Ångström', email: 'zoe@example.com', code: '-EMEA' });
  });

  test('leaves a template whose attributes are all missing empty, without stray separators', () => {
    expect(fields({ fields: { name: { template: '{givenName} {sn}' } } }, {})).toEqual({ name: '' });
    expect(fields({ fields: { name: { template: '{givenName} {sn}' } } }, { sn: ['Solo'] })).toEqual({
      name: 'Solo',
    });
  });

  test('lists every attribute it reads once, templates included', () => {
    const mapping: FieldMapping = {
      fields: {
        a: 'mail',
        b: { template: '{givenName} {sn} {MAIL}' },
        c: { constant: 'x' },
        d: { attribute: 'title' },
      },
    };
    expect(mappedAttributes(mapping)).toEqual(['mail', 'givenName', 'sn', 'title']);
  });
});
