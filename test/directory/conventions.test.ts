import { conventionsFor } from '../../src/directory/conventions.js';
import { DirectoryEntry } from '../../src/directory/entry.js';
import { objectGuidToString } from '../../src/directory/object-guid.js';

const entry = (attributes: Record<string, string[]>) => DirectoryEntry.fromStrings('cn=x', attributes);
const disabled = (type: Parameters<typeof conventionsFor>[0], attributes: Record<string, string[]>) =>
  conventionsFor(type).readDisabled(entry(attributes));

describe('objectGUID', () => {
  test('converts to the registry format, with the first three groups byte-reversed', () => {
    const bytes = Buffer.from('33221100554477668899aabbccddeeff', 'hex');
    expect(objectGuidToString(bytes)).toBe('00112233-4455-6677-8899-aabbccddeeff');
  });

  test('is refused unless it has 16 bytes', () => {
    expect(objectGuidToString(Buffer.alloc(15))).toBeUndefined();
  });

  test('is read from its bytes even when they would decode as text', () => {
    const bytes = Buffer.from('41424344454647484950515253545556', 'hex');
    const ad = new DirectoryEntry('cn=x', new Map(), new Map([['objectguid', [bytes]]]));
    expect(conventionsFor('active-directory').readId(ad)).toEqual({
      ok: true,
      value: '44434241-4645-4847-4950-515253545556',
    });
  });
});

describe('disabled accounts', () => {
  test('on Active Directory are those with the ACCOUNTDISABLE bit (0x2) of userAccountControl', () => {
    expect(disabled('active-directory', { userAccountControl: ['514'] })).toEqual({ ok: true, value: true });
    expect(disabled('active-directory', { userAccountControl: ['512'] })).toEqual({ ok: true, value: false });
    expect(disabled('active-directory', { userAccountControl: ['66048'] })).toEqual({
      ok: true,
      value: false,
    });
  });

  test('on Active Directory cannot be told without userAccountControl', () => {
    expect(disabled('active-directory', {})).toMatchObject({ ok: false });
    expect(disabled('active-directory', { userAccountControl: ['lots'] })).toMatchObject({ ok: false });
  });

  test('on 389 Directory Server are those with nsAccountLock true, in any case', () => {
    expect(disabled('389ds', { nsAccountLock: ['TRUE'] })).toEqual({ ok: true, value: true });
    expect(disabled('389ds', { nsAccountLock: ['false'] })).toEqual({ ok: true, value: false });
    expect(disabled('389ds', {})).toEqual({ ok: true, value: false });
  });

  test('on PingDirectory are those with ds-pwp-account-disabled true', () => {
    expect(disabled('pingdirectory', { 'ds-pwp-account-disabled': ['true'] })).toEqual({
      ok: true,
      value: true,
    });
    expect(disabled('pingdirectory', {})).toEqual({ ok: true, value: false });
  });

  test('on OpenLDAP are those locked administratively, not those locked out by failed passwords', () => {
    expect(disabled('openldap', { pwdAccountLockedTime: ['000001010000Z'] })).toEqual({
      ok: true,
      value: true,
    });
    expect(disabled('openldap', { pwdAccountLockedTime: ['20240301101500Z'] })).toEqual({
      ok: true,
      value: false,
    });
    expect(disabled('openldap', {})).toEqual({ ok: true, value: false });
  });
});

describe('immutable ids', () => {
  test('are read in lower case from entryUUID, nsUniqueId or objectGUID', () => {
    const uuid = 'A1B2C3D4-0000-1111-2222-333344445555';
    expect(conventionsFor('openldap').readId(entry({ entryUUID: [uuid] }))).toEqual({
      ok: true,
      value: uuid.toLowerCase(),
    });
    expect(
      conventionsFor('389ds').readId(entry({ nsUniqueId: ['66446001-1DD211B2-8E4F9A5E-7E1E0000'] })),
    ).toEqual({
      ok: true,
      value: '66446001-1dd211b2-8e4f9a5e-7e1e0000',
    });
  });

  test('are missing with a reason when the entry has none', () => {
    expect(conventionsFor('pingdirectory').readId(entry({}))).toEqual({ ok: false, reason: 'no entryUUID' });
  });
});
