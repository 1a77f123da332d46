import { startSlapd, type RunningSlapd } from '../../src/dev/slapd.js';
import { readDirectoryScope } from '../../src/directory/read-scope.js';
import { directorySettings } from '../helpers/directory.js';

// The full read keeps of each entry only what the membership check reads; a posixGroup names its
// members by uid in Active Directory too, so uid must be kept whatever the mode.
const suffix = 'dc=example,dc=com';
const people = `ou=people,${suffix}`;
const groups = `ou=groups,${suffix}`;
const ldif = [
  [
    `dn: cn=alice,${people}`,
    'objectClass: user',
    'cn: alice',
    'sn: alice',
    'uid: alice',
    'sAMAccountName: alice',
    'objectCategory: person',
    `objectGUID:: ${Buffer.alloc(16, 1).toString('base64')}`,
    'primaryGroupID: 513',
    'userAccountControl: 512',
  ].join('\n'),
  [
    `dn: cn=unix,${groups}`,
    'objectClass: posixGroup',
    'cn: unix',
    'gidNumber: 5000',
    'memberUid: alice',
  ].join('\n'),
].join('\n\n');

let slapd: RunningSlapd;
beforeAll(async () => {
  slapd = await startSlapd({ directoryKinds: true, ldif });
});
afterAll(() => slapd.stop());

test('an Active Directory user named by uid in a posixGroup scope group is in scope when uid is read', async () => {
  const settings = directorySettings(slapd, {
    type: 'active-directory',
    groupMembership: 'walk',
    groups: [`cn=unix,${groups}`],
  });
  const scope = await readDirectoryScope(settings, {
    userNameAttribute: 'sAMAccountName',
    attributes: ['uid'],
  });
  expect(scope.entriesRead).toBe(1);
  expect(scope.users.map((u) => u.userName)).toEqual(['alice']);
});
