import { startSlapd, type RunningSlapd } from '../../src/dev/slapd.js';
import { readDirectoryScope } from '../../src/directory/read-scope.js';
import type { DirectorySettings } from '../../src/directory/types.js';
import { directorySettings } from '../helpers/directory.js';

/**
 * The reader against slapd loaded with a schema that carries the attributes of Active Directory,
 * 389 Directory Server and PingDirectory (src/dev/directory-kinds-schema.ts): each product's id,
 * disabled flag and group conventions, on a real server, without the product itself.
 */
const suffix = 'dc=example,dc=com';
const people = `ou=people,${suffix}`;
const groups = `ou=groups,${suffix}`;
const domainSid = [21, 1004336348, 1177238915, 682003330];

/** A SID of the domain above with this RID, as AD stores it (little-endian sub-authorities). */
function sid(rid: number): string {
  const bytes = Buffer.alloc(8 + 4 * 5);
  bytes.writeUInt8(1, 0);
  bytes.writeUInt8(5, 1);
  bytes.writeUInt8(5, 7);
  [...domainSid, rid].forEach((value, i) => bytes.writeUInt32LE(value, 8 + 4 * i));
  return bytes.toString('base64');
}

/** objectGUID bytes whose registry form is `00000000-0000-0000-0000-0000000000nn`. */
function guid(n: number): string {
  return Buffer.from(`000000000000000000000000000000${n.toString(16).padStart(2, '0')}`, 'hex').toString(
    'base64',
  );
}

/** Windows FILETIME of a date, as accountExpires holds it. */
const fileTime = (date: Date) => String((BigInt(date.getTime()) + 11_644_473_600_000n) * 10_000n);

function adUser(n: number, name: string, extra: string[] = []): string {
  return [
    `dn: cn=${name},${people}`,
    'objectClass: user',
    `cn: ${name}`,
    `sn: ${name}`,
    `sAMAccountName: ${name}`,
    'objectCategory: person',
    `objectGUID:: ${guid(n)}`,
    'primaryGroupID: 513',
    ...extra,
  ].join('\n');
}

function adGroup(name: string, rid: number, members: string[]): string {
  return [
    `dn: cn=${name},${groups}`,
    'objectClass: group',
    `cn: ${name}`,
    `objectSid:: ${sid(rid)}`,
    'groupType: -2147483646',
    ...members.map((m) => `member: ${m}`),
  ].join('\n');
}

const activeDirectoryLdif = [
  adUser(1, 'enabled', ['userAccountControl: 512']),
  adUser(2, 'disabled', ['userAccountControl: 514']),
  adUser(3, 'expired', ['userAccountControl: 512', `accountExpires: ${fileTime(new Date('2020-01-01'))}`]),
  adUser(4, 'expiring', ['userAccountControl: 512', `accountExpires: ${fileTime(new Date('2999-01-01'))}`]),
  adUser(5, 'never', ['userAccountControl: 66048', 'accountExpires: 9223372036854775807']),
  adUser(6, 'primary', ['userAccountControl: 512']).replace('primaryGroupID: 513', 'primaryGroupID: 1200'),
  adGroup('staff', 1100, [`cn=enabled,${people}`, `cn=disabled,${people}`, `cn=nested,${groups}`]),
  adGroup('nested', 1200, [`cn=expired,${people}`]),
].join('\n\n');

function pingUser(name: string, memberOf: string[], extra: string[] = []): string {
  return [
    `dn: uid=${name},${people}`,
    'objectClass: inetOrgPerson',
    'objectClass: otherDirectoryAccount',
    `uid: ${name}`,
    `cn: ${name}`,
    `sn: ${name}`,
    `nsUniqueId: 6a1e${name.length}000-1dd211b2-8e4f9a5e-7e1e0000`,
    ...memberOf.map((g) => `isMemberOf: ${g}`),
    ...extra,
  ].join('\n');
}

const pingLdif = [
  pingUser('direct', [`cn=scope,${groups}`]),
  pingUser('deeper', [`cn=inner,${groups}`, `cn=scope,${groups}`], ['ds-pwp-account-disabled: TRUE']),
  pingUser('outsider', [`cn=other,${groups}`], ['nsAccountLock: true']),
  [`dn: cn=inner,${groups}`, 'objectClass: groupOfNames', 'cn: inner', `member: uid=deeper,${people}`].join(
    '\n',
  ),
  [
    `dn: cn=scope,${groups}`,
    'objectClass: groupOfNames',
    'cn: scope',
    `member: uid=direct,${people}`,
    `member: cn=inner,${groups}`,
  ].join('\n'),
].join('\n\n');

let slapd: RunningSlapd;
beforeAll(async () => {
  slapd = await startSlapd({ directoryKinds: true, ldif: `${activeDirectoryLdif}\n\n${pingLdif}` });
});
afterAll(() => slapd.stop());

async function read(
  overrides: Partial<DirectorySettings>,
  userNameAttribute = 'uid',
): Promise<Record<string, { id: string; enabled: boolean }>> {
  const settings = directorySettings(slapd, overrides);
  const scope = await readDirectoryScope(settings, { userNameAttribute, attributes: [] });
  return Object.fromEntries(scope.users.map((u) => [u.userName ?? '', { id: u.id, enabled: u.enabled }]));
}

describe('Active Directory conventions', () => {
  const ad = (overrides: Partial<DirectorySettings> = {}) =>
    read({ type: 'active-directory', ...overrides }, 'sAMAccountName');

  test('identify users by their binary objectGUID and name them by sAMAccountName', async () => {
    const users = await ad();
    expect(Object.keys(users).sort()).toEqual([
      'disabled',
      'enabled',
      'expired',
      'expiring',
      'never',
      'primary',
    ]);
    expect(users.enabled!.id).toBe('00000000-0000-0000-0000-000000000001');
  });

  test('take the ACCOUNTDISABLE bit of userAccountControl as disabled', async () => {
    const users = await ad();
    expect([users.enabled!.enabled, users.disabled!.enabled, users.never!.enabled]).toEqual([
      true,
      false,
      true,
    ]);
  });

  test('take an accountExpires in the past as disabled only when configured to', async () => {
    expect((await ad()).expired!.enabled).toBe(true);
    const users = await ad({ expiredAccountsDisabled: true });
    expect([users.expired!.enabled, users.expiring!.enabled, users.never!.enabled]).toEqual([
      false,
      true,
      true,
    ]);
  });

  test('count members of nested groups and users whose primary group is a scope group or nested in one', async () => {
    const users = await ad({ groups: [`cn=staff,${groups}`], groupMembership: 'walk' });
    expect(Object.keys(users).sort()).toEqual(['disabled', 'enabled', 'expired', 'primary']);
  });

  test('refuse to read when the server does not evaluate the in-chain matching rule, rather than find nobody', async () => {
    // slapd does not know 1.2.840.113556.1.4.1941 and matches nobody with it, as a server without it would.
    await expect(ad({ groups: [`cn=staff,${groups}`] })).rejects.toMatchObject({
      name: 'DirectoryError',
      code: 'unsupported',
      message: expect.stringMatching(/in-chain matching rule/),
    });
  });
});

describe('389 Directory Server conventions', () => {
  test('identify users by nsUniqueId and take nsAccountLock true as disabled', async () => {
    const users = await read({ type: '389ds' });
    expect(users.outsider).toEqual({ id: '6a1e8000-1dd211b2-8e4f9a5e-7e1e0000', enabled: false });
    expect(users.direct).toMatchObject({ enabled: true });
  });
});

describe('PingDirectory conventions', () => {
  test('take ds-pwp-account-disabled as disabled and nested membership from isMemberOf', async () => {
    const users = await read({
      type: 'pingdirectory',
      idAttribute: 'nsUniqueId',
      groups: [`cn=scope,${groups}`],
    });
    expect(users).toEqual({
      direct: expect.objectContaining({ enabled: true }),
      deeper: expect.objectContaining({ enabled: false }),
    });
  });

  test('refuse to read when a direct member of a scope group does not list it in isMemberOf', async () => {
    await expect(
      read({ type: 'pingdirectory', idAttribute: 'nsUniqueId', groups: [`cn=inner,${groups}`] }),
    ).resolves.toHaveProperty('deeper');
    await expect(
      read({ type: 'pingdirectory', idAttribute: 'nsUniqueId', groups: [`cn=staff,${groups}`] }),
    ).rejects.toMatchObject({ code: 'unsupported' });
  });
});

describe('any other directory', () => {
  test('takes users matching the configured disabled filter as disabled, with the id attribute configured', async () => {
    const users = await read({
      type: 'generic',
      idAttribute: 'nsUniqueId',
      disabledFilter: '(isMemberOf=cn=other,ou=groups,dc=example,dc=com)',
    });
    expect(users.outsider).toMatchObject({ enabled: false });
    expect(users.direct).toMatchObject({ enabled: true });
  });
});
