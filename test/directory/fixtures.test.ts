import { startSlapd, type RunningSlapd } from '../../src/dev/slapd.js';
import { readDirectoryScope } from '../../src/directory/read-scope.js';
import type { DirectorySettings } from '../../src/directory/types.js';
import {
  addOrganizationalUnit,
  addPerson,
  addToGroup,
  createGroup,
  deletePerson,
  directorySettings,
  entryUuidOf,
  lockPerson,
  modifyPerson,
  movePerson,
  removeFromGroup,
  renamePerson,
  unlockPerson,
} from '../helpers/directory.js';

let slapd: RunningSlapd;
const query = { userNameAttribute: 'uid', attributes: ['title', 'mail', 'description'] };
const user = async (uid: string, overrides: Partial<DirectorySettings> = {}) => {
  const scope = await readDirectoryScope(directorySettings(slapd, overrides), query);
  return scope.users.find((u) => u.userName === uid);
};

beforeAll(async () => {
  slapd = await startSlapd();
});
afterAll(() => slapd.stop());

describe('directory fixtures', () => {
  test('add a person with a default mail, and change and remove attributes', async () => {
    const dn = await addPerson(slapd, { uid: 'fixed', givenName: 'Fix', sn: 'Ture', title: 'Tester' });
    expect(dn).toBe(`uid=fixed,${slapd.peopleDn}`);
    expect((await user('fixed'))?.attributes).toMatchObject({
      title: ['Tester'],
      mail: ['fixed@example.com'],
    });

    await modifyPerson(slapd, 'fixed', { title: 'Lead', description: ['one', 'two'], mail: null });
    expect((await user('fixed'))?.attributes).toEqual({
      title: ['Lead'],
      description: ['one', 'two'],
      mail: [],
    });
  });

  test('lock and unlock a person the way an administrator does', async () => {
    await addPerson(slapd, { uid: 'lockable', givenName: 'Lock', sn: 'Able' });
    await lockPerson(slapd, 'lockable');
    expect((await user('lockable'))?.enabled).toBe(false);
    await unlockPerson(slapd, 'lockable');
    expect((await user('lockable'))?.enabled).toBe(true);
  });

  test('rename and move a person without changing its entryUUID', async () => {
    const dn = await addPerson(slapd, { uid: 'wanderer', givenName: 'Wan', sn: 'Derer' });
    const uuid = await entryUuidOf(slapd, dn);

    const renamed = await renamePerson(slapd, 'wanderer', 'wanderer2');
    expect(renamed).toBe(`uid=wanderer2,${slapd.peopleDn}`);
    expect((await user('wanderer2'))?.id).toBe(uuid);

    const away = await addOrganizationalUnit(slapd, 'away');
    const moved = await movePerson(slapd, 'wanderer2', away);
    expect(await entryUuidOf(slapd, moved)).toBe(uuid);
    expect(await user('wanderer2')).toBeUndefined();
    expect((await user('wanderer2', { baseDn: slapd.suffix }))?.dn).toBe(moved);
  });

  test('delete a person', async () => {
    await addPerson(slapd, { uid: 'leaver', givenName: 'Lea', sn: 'Ver' });
    await deletePerson(slapd, 'leaver');
    expect(await user('leaver')).toBeUndefined();
  });

  test.each(['groupOfNames', 'groupOfUniqueNames', 'posixGroup'] as const)(
    'create an empty %s, add a member, remove it and add it again',
    async (type) => {
      const dn = await addPerson(slapd, { uid: `member-${type}`, givenName: 'Mem', sn: 'Ber' });
      const group = await createGroup(slapd, `group-${type}`, [], type);
      const inGroup = async () => !!(await user(`member-${type}`, { groups: [group] }));

      await addToGroup(slapd, `group-${type}`, dn);
      expect(await inGroup()).toBe(true);
      await removeFromGroup(slapd, `group-${type}`, dn);
      expect(await inGroup()).toBe(false);
      await addToGroup(slapd, `group-${type}`, dn);
      expect(await inGroup()).toBe(true);
    },
  );
});
