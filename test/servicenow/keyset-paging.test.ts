import got from 'got';
import type { RunningEmulator } from '../../src/emulator/index.js';
import type { ServiceNowUser } from '../../src/servicenow/types.js';
import { apiPassword, apiUser, allPages, clientFor, emulatorFor, person, stopEmulators } from './fixture.js';

afterEach(stopEmulators);

/** A sys_id that sorts by `n`. */
const sysIdOf = (n: number) => n.toString(16).padStart(32, '0');

const seeded = (count: number) =>
  Array.from({ length: count }, (_, i) =>
    person({ sys_id: sysIdOf((i + 1) * 10), user_name: `page.${i + 1}` }),
  );

const ids = (pages: ServiceNowUser[][]) => pages.flat().map((user) => user.sysId);

async function deleteRow(emulator: RunningEmulator, sysId: string): Promise<void> {
  await got.delete(`${emulator.url}/api/now/table/sys_user/${sysId}`, {
    username: apiUser,
    password: apiPassword,
  });
}

describe('listUsers', () => {
  it('returns every account once, in sys_id order, a page at a time', async () => {
    const emulator = await emulatorFor({ records: seeded(23) });

    const pages = await allPages(clientFor(emulator, { pageSize: 5 }).listUsers(['first_name']));

    expect(pages.map((page) => page.length)).toEqual([5, 5, 5, 5, 3]);
    expect(ids(pages)).toEqual(seeded(23).map((_, i) => sysIdOf((i + 1) * 10)));
  });

  it('pages by sys_id, never by offset', async () => {
    const emulator = await emulatorFor({ records: seeded(12) });

    await allPages(clientFor(emulator, { pageSize: 5 }).listUsers([]));

    const queries = emulator.requestLog().map((entry) => entry.query);
    expect(queries.every((query) => query.sysparm_offset === undefined)).toBe(true);
    expect(queries.map((query) => query.sysparm_query)).toEqual([
      'ORDERBYsys_id',
      `sys_id>${sysIdOf(50)}^ORDERBYsys_id`,
      `sys_id>${sysIdOf(100)}^ORDERBYsys_id`,
      `sys_id>${sysIdOf(120)}^ORDERBYsys_id`,
    ]);
  });

  it('asks again after a short page and finds a row added meanwhile', async () => {
    const emulator = await emulatorFor({ records: seeded(3) });
    const client = clientFor(emulator, { pageSize: 5 });
    const pages = client.listUsers([]);

    const first = await pages.next();
    await addUser(client, 'late.arrival'); // a random sys_id, above every seeded one
    const rest = await allPages(pages);

    expect(first.value).toHaveLength(3);
    expect(rest.flat().map((user) => user.userName)).toContain('late.arrival');
  });

  it('loses and repeats none of the accounts present throughout while others come and go', async () => {
    const emulator = await emulatorFor({ records: seeded(40) });
    const client = clientFor(emulator, { pageSize: 7 });
    const before = new Set(emulator.records().map((row) => row.sys_id));
    const seen: string[] = [];
    let round = 0;

    for await (const page of client.listUsers([])) {
      seen.push(...page.map((user) => user.sysId));
      round += 1;
      // Delete a row already read and one not read yet; add one whose random sys_id lands anywhere.
      await deleteRow(emulator, sysIdOf(round * 10));
      await deleteRow(emulator, sysIdOf(400 - round * 10));
      await addUser(client, `newcomer.${round}`);
    }

    const after = new Set(emulator.records().map((row) => row.sys_id));
    const throughout = [...before].filter((sysId) => after.has(sysId));
    expect(new Set(seen).size).toBe(seen.length);
    expect(throughout.filter((sysId) => !seen.includes(sysId!))).toEqual([]);
  });
});

async function addUser(client: ReturnType<typeof clientFor>, userName: string): Promise<void> {
  await client.createUser({ userName, active: true, fields: {} }, []);
}
