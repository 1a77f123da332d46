import { startSlapd, type RunningSlapd } from '../../src/dev/slapd.js';
import { readDirectoryScope, type DirectoryQuery } from '../../src/directory/read-scope.js';
import type { DirectorySettings } from '../../src/directory/types.js';
import {
  addOrganizationalUnit,
  addPerson,
  asAdmin,
  directorySettings,
  entryUuidOf,
  lockPerson,
} from '../helpers/directory.js';

const query: DirectoryQuery = { userNameAttribute: 'uid', attributes: ['givenName', 'SN', 'mail', 'title'] };
let slapd: RunningSlapd;
let read: (
  overrides?: Partial<DirectorySettings>,
  q?: DirectoryQuery,
) => ReturnType<typeof readDirectoryScope>;
const userNames = async (overrides?: Partial<DirectorySettings>) =>
  (await read(overrides)).users.map((u) => u.userName).sort();

beforeAll(async () => {
  slapd = await startSlapd();
  read = (overrides, q = query) => readDirectoryScope(directorySettings(slapd, overrides), q);
  await addPerson(slapd, { uid: 'ada', givenName: 'Ada', sn: 'Lovelace', departmentNumber: '1100' });
  await addPerson(slapd, { uid: 'alan', givenName: 'Alan', sn: 'Turing', departmentNumber: '1200' });
  await addPerson(slapd, { uid: 'jurgen', givenName: 'Jürgen', sn: 'Müller-Łukasz', title: 'Ingénieur' });
  await addPerson(slapd, {
    uid: 'locked',
    givenName: 'Lock',
    sn: 'Ed',
    pwdAccountLockedTime: '000001010000Z',
  });
  await addPerson(slapd, { uid: 'lockedout', givenName: 'Lock', sn: 'Out' });
  await lockPerson(slapd, 'lockedout', '20250102030405Z');
  const elsewhere = await addOrganizationalUnit(slapd, 'partners');
  await asAdmin(slapd, (c) =>
    c.add(`uid=outside,${elsewhere}`, { objectClass: 'inetOrgPerson', uid: 'outside', cn: 'O', sn: 'O' }),
  );
  // A person without a uid, named by cn: in scope, but unusable.
  await asAdmin(slapd, (c) =>
    c.add(`cn=No Name,${slapd.peopleDn}`, { objectClass: 'inetOrgPerson', cn: 'No Name', sn: 'Name' }),
  );
  // Not a user: the user filter leaves it out.
  await addOrganizationalUnit(slapd, 'robots', slapd.peopleDn);
});
afterAll(() => slapd.stop());

describe('reading the directory scope', () => {
  test('reads the users under the base DN and none outside it', async () => {
    expect(await userNames()).toEqual(['ada', 'alan', 'jurgen', 'locked', 'lockedout']);
    expect(await userNames({ baseDn: slapd.suffix })).toContain('outside');
  });

  test('narrows the users with the configured filter', async () => {
    expect(await userNames({ filter: '(departmentNumber=1100)' })).toEqual(['ada']);
    expect(await userNames({ filter: '(|(departmentNumber=1100)(sn=Müller*))' })).toEqual(['ada', 'jurgen']);
  });

  test('keys attribute values by the names the mapping gave, whatever case the server uses', async () => {
    const { users } = await read();
    expect(users.find((u) => u.userName === 'ada')?.attributes).toEqual({
      givenName: ['Ada'],
      SN: ['Lovelace'],
      mail: ['ada@example.com'],
      title: [],
    });
  });

  test('reads non-ASCII names intact', async () => {
    const { users } = await read({ filter: '(sn=M\\c3\\bcller-\\c5\\81ukasz)' });
    expect(users.map((u) => [u.attributes.givenName, u.attributes.SN, u.attributes.title])).toEqual([
      [['Jürgen'], ['Müller-Łukasz'], ['Ingénieur']],
    ]);
  });

  test('identifies each user by its entryUUID, in lower case', async () => {
    const { users } = await read();
    const ada = users.find((u) => u.userName === 'ada');
    expect(ada?.id).toBe(await entryUuidOf(slapd, `uid=ada,${slapd.peopleDn}`));
    expect(ada?.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('marks an administratively locked user disabled and leaves a failed-password lockout enabled', async () => {
    const { users } = await read();
    const enabled = Object.fromEntries(users.map((u) => [u.userName ?? '', u.enabled]));
    expect(enabled).toMatchObject({ ada: true, locked: false, lockedout: true });
  });

  test('reports an entry without a user name as skipped, with the reason', async () => {
    const scope = await read();
    expect(scope.skipped).toEqual([{ dn: `cn=No Name,${slapd.peopleDn}`, reason: 'no uid' }]);
    expect(scope.entriesRead).toBe(6);
  });

  test('reports entries without the directory type id as skipped rather than dropping them', async () => {
    const scope = await read({ type: '389ds' });
    expect(scope.users).toEqual([]);
    expect(scope.skipped).toHaveLength(6);
    expect(scope.skipped.every((s) => s.reason === 'no nsUniqueId')).toBe(true);
  });

  test('reads every page when the page size is smaller than the directory', async () => {
    expect(await userNames({ pageSize: 2 })).toEqual(['ada', 'alan', 'jurgen', 'locked', 'lockedout']);
  });
});
