import type { RunningEmulator } from '../../src/emulator/index.js';
import { call, createUser, emulatorFor, many, one, stopEmulators, userNames } from './helpers.js';

let emulator: RunningEmulator;
const sales = '2a1c7e5f3b8d4e6a9c0b1d2e3f4a5b65';

beforeEach(async () => {
  emulator = await emulatorFor();
});
afterEach(stopEmulators);

async function read(user: Record<string, string>, query = ''): Promise<Record<string, unknown>> {
  return one(await call(emulator, 'GET', `/api/now/table/sys_user/${user.sys_id}?${query}`));
}

describe('reference fields', () => {
  it('returns a reference as link and value, and the link leads to the record', async () => {
    const user = await createUser(emulator, { department: sales });
    const department = (await read(user)).department as { link: string; value: string };

    const target = await fetch(department.link, { headers: { Authorization: 'Basic YWRtaW46YWRtaW4=' } });

    expect(department).toEqual({
      link: `${emulator.url}/api/now/table/cmn_department/${sales}`,
      value: sales,
    });
    expect(((await target.json()) as { result: { name: string } }).result.name).toBe('Sales');
  });

  it('returns the plain sys_id with sysparm_exclude_reference_link=true', async () => {
    const user = await createUser(emulator, { department: sales });

    expect((await read(user, 'sysparm_exclude_reference_link=true')).department).toBe(sales);
  });

  it.each([
    ['true', { display_value: 'Sales', link: expect.stringContaining(sales) as unknown }],
    ['all', { display_value: 'Sales', value: sales, link: expect.stringContaining(sales) as unknown }],
    ['true&sysparm_exclude_reference_link=true', 'Sales'],
    ['all&sysparm_exclude_reference_link=true', { display_value: 'Sales', value: sales }],
  ])('answers sysparm_display_value=%s as the instance does', async (mode, expected) => {
    const user = await createUser(emulator, { department: sales });

    expect((await read(user, `sysparm_display_value=${mode}`)).department).toEqual(expected);
  });

  it('writes a reference given by display value as the target sys_id', async () => {
    const user = await createUser(emulator, { department: 'sales' });

    expect(user.department).toBe(sales);
  });

  it('queries and selects through references by dot-walking', async () => {
    await createUser(emulator, { user_name: 'in.sales', department: sales });
    await createUser(emulator, { user_name: 'no.department' });

    const response = await call(
      emulator,
      'GET',
      '/api/now/table/sys_user?sysparm_query=department.name%3DSALES&sysparm_fields=user_name,department.name',
    );

    expect(userNames(response)).toEqual(['in.sales']);
    expect(many(response)).toEqual([{ user_name: 'in.sales', 'department.name': 'Sales' }]);
  });
});

describe('what the instance does on write', () => {
  it('derives name from first and last name, on create and on update', async () => {
    const user = await createUser(emulator, { first_name: 'Grace', last_name: 'Hopper', name: 'Ignored' });
    const renamed = one(
      await call(emulator, 'PATCH', `/api/now/table/sys_user/${user.sys_id}`, {
        body: { last_name: 'Murray' },
      }),
    );

    expect(user.name).toBe('Grace Hopper');
    expect(renamed.name).toBe('Grace Murray');
  });

  it('locks out a user set inactive, and leaves the lock when the user is activated again', async () => {
    const user = await createUser(emulator);
    const path = `/api/now/table/sys_user/${user.sys_id}`;

    const disabled = one(await call(emulator, 'PATCH', path, { body: { active: false } }));
    const enabled = one(await call(emulator, 'PATCH', path, { body: { active: 'true' } }));

    expect(disabled).toMatchObject({ active: 'false', locked_out: 'true' });
    expect(enabled).toMatchObject({ active: 'true', locked_out: 'true' });
  });

  it('cuts values longer than their column without complaint', async () => {
    const user = await createUser(emulator, {
      user_name: 'u'.repeat(45),
      first_name: 'f'.repeat(55),
      last_name: 'l'.repeat(55),
      email: `${'e'.repeat(100)}@example.com`,
      title: 't'.repeat(70),
    });

    expect(user.user_name).toBe('u'.repeat(40));
    expect(user.first_name).toBe('f'.repeat(50));
    expect(user.last_name).toBe('l'.repeat(50));
    expect(user.email).toBe('e'.repeat(100));
    expect(user.title).toBe('t'.repeat(60));
  });

  it('treats a user_name cut to an existing one as a duplicate', async () => {
    await createUser(emulator, { user_name: 'x'.repeat(40) });

    const response = await call(emulator, 'POST', '/api/now/table/sys_user', {
      body: { user_name: 'X'.repeat(41) },
    });

    expect(response.status).toBe(403);
  });
});
