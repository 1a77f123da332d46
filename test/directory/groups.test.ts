import { startSlapd, type RunningSlapd } from '../../src/dev/slapd.js';
import { readDirectoryScope } from '../../src/directory/read-scope.js';
import type { DirectorySettings } from '../../src/directory/types.js';
import { addPerson, asAdmin, createGroup, directorySettings } from '../helpers/directory.js';

const suffix = 'dc=example,dc=com';
const people = `ou=people,${suffix}`;
const groups = `ou=groups,${suffix}`;
const bigGroupSize = 3000;

/** `count` people p0…pN-1 and a groupOfNames `cn=big` listing every one of them, for slapadd. */
function bigGroupLdif(count: number): string {
  const person = (i: number) =>
    [`dn: uid=p${i},${people}`, 'objectClass: inetOrgPerson', `uid: p${i}`, `cn: P ${i}`, 'sn: P'].join('\n');
  const members = Array.from({ length: count }, (_, i) => `member: uid=p${i},${people}`);
  const group = [`dn: cn=big,${groups}`, 'objectClass: groupOfNames', 'cn: big', ...members].join('\n');
  return [...Array.from({ length: count }, (_, i) => person(i)), group].join('\n\n');
}

let slapd: RunningSlapd;
const inScope = async (overrides: Partial<DirectorySettings>) => {
  const settings = directorySettings(slapd, overrides);
  const scope = await readDirectoryScope(settings, { userNameAttribute: 'uid', attributes: ['cn'] });
  return scope.users.map((u) => u.userName!).sort();
};

beforeAll(async () => {
  slapd = await startSlapd({ ldif: bigGroupLdif(bigGroupSize) });
});
afterAll(() => slapd.stop());

describe('big groups', () => {
  test(`read all ${bigGroupSize} members of one group`, async () => {
    const members = await inScope({ groups: [`cn=big,${groups}`] });
    expect(members).toHaveLength(bigGroupSize);
    expect(new Set(members).size).toBe(bigGroupSize);
  });
});

describe('nesting', () => {
  beforeAll(async () => {
    const deepest = await addPerson(slapd, { uid: 'deepest', givenName: 'D', sn: 'Eep' });
    let inner = deepest;
    for (let level = 12; level >= 1; level--) inner = await createGroup(slapd, `level${level}`, [inner]);
  });

  test('follows groups nested twelve levels deep', async () => {
    expect(await inScope({ groups: [`cn=level1,${groups}`] })).toEqual(['deepest']);
  });
});

describe('groups with every kind of member', () => {
  beforeAll(async () => {
    const uniqueOne = await addPerson(slapd, { uid: 'unique-one', givenName: 'U', sn: 'One' });
    await addPerson(slapd, { uid: 'posix-one', givenName: 'P', sn: 'One' });
    const plain = await addPerson(slapd, { uid: 'plain', givenName: 'P', sn: 'Lain' });
    await createGroup(slapd, 'mixed-unique', [`${uniqueOne}#'0101'B`], 'groupOfUniqueNames');
    await createGroup(slapd, 'mixed-posix', ['posix-one'], 'posixGroup');
    await asAdmin(slapd, (c) => c.add(`cn=a printer,${suffix}`, { objectClass: 'device', cn: 'a printer' }));
    await createGroup(slapd, 'mixed', [
      plain,
      `cn=mixed-unique,${groups}`,
      `cn=mixed-posix,${groups}`,
      `cn=a printer,${suffix}`,
      people,
      `uid=never-existed,${people}`,
      `uid=p1,${people}`,
    ]);
  });

  test('take users, groupOfUniqueNames and posixGroup members, and ignore devices, containers and dangling DNs', async () => {
    expect(await inScope({ groups: [`cn=mixed,${groups}`] })).toEqual([
      'p1',
      'plain',
      'posix-one',
      'unique-one',
    ]);
  });
});

describe('DNs spelt differently', () => {
  beforeAll(async () => {
    const spelt = await addPerson(slapd, { uid: 'spelt', givenName: 'S', sn: 'Pelt' });
    await createGroup(slapd, 'Spelling Bee', [spelt]);
  });

  test.each([
    ['as the server writes it', `cn=Spelling Bee,${groups}`],
    ['in upper case with spaces after the commas', 'CN=SPELLING BEE, OU=Groups, DC=Example, DC=Com'],
    [
      'with hex escapes and attribute aliases',
      'commonName=Spelling\\20Bee,organizationalUnitName=groups,dc=example,dc=com',
    ],
  ])('find the same members when the scope group is spelt %s', async (_how, groupDn) => {
    expect(await inScope({ groups: [groupDn], baseDn: 'OU=People, DC=EXAMPLE,dc=com' })).toEqual(['spelt']);
  });
});

describe('names that need escaping', () => {
  const special = 'o,brien+x*(y)\\z';
  beforeAll(async () => {
    await asAdmin(slapd, (c) =>
      c.add(`uid=o\\,brien\\+x*(y)\\\\z,${people}`, {
        objectClass: 'inetOrgPerson',
        uid: special,
        cn: 'O Brien',
        sn: 'Brien',
      }),
    );
    const zoe = await addPerson(slapd, {
      uid: 'zoë.ångström',
      givenName: 'Zoë',
      sn: 'Ångström',
      mail: 'zoe@example.com',
    });
    await createGroup(slapd, 'escapes', [`uid=o\\2Cbrien\\2Bx*(y)\\5Cz,${people}`, zoe]);
  });

  test('put a user with * ( \\ , + in its DN and one with non-ASCII letters in scope through a group', async () => {
    expect(await inScope({ groups: [`cn=escapes,${groups}`] })).toEqual([special, 'zoë.ångström'].sort());
  });

  test('find both with filters on their values', async () => {
    expect(await inScope({ filter: '(uid=o,brien+x\\2a\\28y\\29\\5cz)' })).toEqual([special]);
    expect(await inScope({ filter: '(|(sn=Ångström)(uid=zo\\c3\\ab*))' })).toEqual(['zoë.ångström']);
  });
});
