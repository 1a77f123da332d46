import { generateSampleDirectory } from '../../src/dev/sample-directory.js';
import { startSlapd, type RunningSlapd } from '../../src/dev/slapd.js';
import { readDirectoryScope } from '../../src/directory/read-scope.js';
import { directorySettings } from '../helpers/directory.js';

const suffix = 'dc=example,dc=com';
const sample = generateSampleDirectory({ suffix, people: 400, seed: 7 });
const query = { userNameAttribute: 'uid', attributes: ['givenName', 'sn', 'mail', 'title'] };

describe('the sample directory', () => {
  test('is the same for the same seed and different for another', () => {
    expect(generateSampleDirectory({ suffix, people: 50, seed: 7 }).ldif).toBe(
      generateSampleDirectory({ suffix, people: 50, seed: 7 }).ldif,
    );
    expect(generateSampleDirectory({ suffix, people: 50, seed: 8 }).ldif).not.toBe(
      generateSampleDirectory({ suffix, people: 50, seed: 7 }).ldif,
    );
  });

  test('gives everyone a unique lower-case uid made of an initial and a surname', () => {
    const uids = sample.people.map((p) => p.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(uids.every((uid) => /^[a-z]+\d*$/.test(uid))).toBe(true);
    const first = sample.people[0]!;
    expect(first.uid.startsWith(first.givenName.normalize('NFD').charAt(0).toLowerCase())).toBe(true);
  });

  test('has people in the scope group, in nested groups, in no scope group, and disabled', () => {
    const { scope, nested } = sample.groupDns;
    const count = (dn: string) => sample.people.filter((p) => p.groups.includes(dn)).length;
    expect(count(scope)).toBeGreaterThan(0);
    expect(nested.map(count).every((n) => n > 0)).toBe(true);
    expect(sample.people.some((p) => !p.groups.some((g) => g === scope || nested.includes(g)))).toBe(true);
    expect(sample.people.some((p) => p.disabled)).toBe(true);
    expect(sample.people.some((p) => /[^\x20-\x7e]/.test(p.cn))).toBe(true);
  });

  describe('loaded into slapd', () => {
    let slapd: RunningSlapd;
    beforeAll(async () => {
      slapd = await startSlapd({ suffix, ldif: sample.ldif });
    });
    afterAll(() => slapd.stop());

    test('reads back every person, with names and disabled flags as generated', async () => {
      const scope = await readDirectoryScope(directorySettings(slapd), query);
      expect(scope.entriesRead).toBe(400);
      expect(scope.skipped).toEqual([]);

      const read = new Map(scope.users.map((u) => [u.userName, u]));
      for (const person of sample.people) {
        const user = read.get(person.uid);
        expect(user?.attributes).toEqual({
          givenName: [person.givenName],
          sn: [person.sn],
          mail: [person.mail],
          title: [person.title],
        });
        expect(user?.enabled).toBe(!person.disabled);
      }
    });

    test('puts in scope exactly the people in the scope group or its nested groups', async () => {
      const { scope, nested } = sample.groupDns;
      const settings = directorySettings(slapd, { groups: [scope] });
      const { users } = await readDirectoryScope(settings, query);

      const expected = sample.people.filter((p) => p.groups.some((g) => g === scope || nested.includes(g)));
      expect(users.map((u) => u.userName).sort()).toEqual(expected.map((p) => p.uid).sort());
    });
  });
});
