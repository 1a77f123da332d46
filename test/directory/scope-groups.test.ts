import { startSlapd, type RunningSlapd } from '../../src/dev/slapd.js';
import { readDirectoryScope } from '../../src/directory/read-scope.js';
import { addPerson, addToGroup, createGroup, directorySettings } from '../helpers/directory.js';

let slapd: RunningSlapd;
const dn = (uid: string) => `uid=${uid},${slapd.peopleDn}`;
const group = (cn: string) => `cn=${cn},${slapd.groupsDn}`;
const inScope = async (...groups: string[]) => {
  const settings = directorySettings(slapd, { groups });
  const scope = await readDirectoryScope(settings, { userNameAttribute: 'uid', attributes: [] });
  return scope.users.map((u) => u.userName).sort();
};

beforeAll(async () => {
  slapd = await startSlapd();
  for (const uid of [
    'direct',
    'nested1',
    'nested2',
    'unique',
    'posix',
    'loop',
    'spelled',
    'nobody',
    'other',
  ]) {
    await addPerson(slapd, { uid, givenName: uid, sn: uid });
  }
  // scope ⊃ level1 ⊃ level2, and a cycle: loop-a ⊃ loop-b ⊃ loop-a.
  await createGroup(slapd, 'level2', [dn('nested2')]);
  await createGroup(slapd, 'level1', [dn('nested1'), group('level2')]);
  await createGroup(slapd, 'loop-a', [dn('loop')]);
  await createGroup(slapd, 'loop-b', [group('loop-a')]);
  await addToGroup(slapd, 'loop-a', group('loop-b'));
  await createGroup(slapd, 'unique-members', [`${dn('unique')}#'0101'B`], 'groupOfUniqueNames');
  await createGroup(slapd, 'posix', ['posix'], 'posixGroup');
  await createGroup(slapd, 'scope', [
    dn('direct'),
    group('level1'),
    group('loop-b'),
    group('unique-members'),
    group('posix'),
    `UID=Spelled, OU=People, DC=Example, DC=Com`,
    `uid=gone,${slapd.peopleDn}`,
  ]);
  await createGroup(slapd, 'unrelated', [dn('other')]);
  await createGroup(slapd, 'empty', []);
});
afterAll(() => slapd.stop());

describe('scope groups', () => {
  test('take in direct members, members nested two levels deep, and members of a cycle', async () => {
    expect(await inScope(group('scope'))).toEqual([
      'direct',
      'loop',
      'nested1',
      'nested2',
      'posix',
      'spelled',
      'unique',
    ]);
  });

  test('leave out people who are in no scope group', async () => {
    expect(await inScope(group('level1'))).toEqual(['nested1', 'nested2']);
  });

  test('put a person in scope when any one of several scope groups holds them', async () => {
    expect(await inScope(group('level2'), group('unrelated'))).toEqual(['nested2', 'other']);
  });

  test('end the walk through a cycle of groups', async () => {
    expect(await inScope(group('loop-b'))).toEqual(['loop']);
  });

  test('read groupOfUniqueNames members with a uid suffix and posixGroup memberUid names', async () => {
    expect(await inScope(group('unique-members'), group('posix'))).toEqual(['posix', 'unique']);
  });

  test('put nobody in scope for a group that exists and is empty', async () => {
    expect(await inScope(group('empty'))).toEqual([]);
  });

  test('fail when a scope group does not exist, rather than put nobody in scope', async () => {
    await expect(inScope(group('scope'), group('no-such-group'))).rejects.toMatchObject({
      name: 'DirectoryError',
      code: 'group-not-found',
    });
  });

  test('fail when a scope group is not a group', async () => {
    await expect(inScope(dn('direct'))).rejects.toMatchObject({ code: 'group-not-found' });
  });
});

describe('scope groups whose members the bind account may not read', () => {
  let hidden: RunningSlapd;
  beforeAll(async () => {
    hidden = await startSlapd({ acl: ['access to attrs=member,uniqueMember by * none'] });
    const member = await addPerson(hidden, { uid: 'member', givenName: 'Mem', sn: 'Ber' });
    await createGroup(hidden, 'scope', [member]);
  });
  afterAll(() => hidden.stop());

  test('fail instead of putting nobody in scope', async () => {
    const settings = directorySettings(hidden, { groups: [`cn=scope,${hidden.groupsDn}`] });
    await expect(
      readDirectoryScope(settings, { userNameAttribute: 'uid', attributes: [] }),
    ).rejects.toMatchObject({
      code: 'incomplete-read',
    });
  });
});
