import type { RunningEmulator } from '../../src/emulator/index.js';
import { call, createUser, emulatorFor, newUser, one, stopEmulators, text } from './helpers.js';

let emulator: RunningEmulator;

beforeEach(async () => {
  emulator = await emulatorFor();
});
afterEach(stopEmulators);

const users = '/api/now/table/sys_user';

describe('creating a record', () => {
  it('answers 201 with the record and its location', async () => {
    const response = await call(emulator, 'POST', users, { body: newUser({ user_name: 'ada' }) });

    expect(response.status).toBe(201);
    expect(one(response).user_name).toBe('ada');
    expect(response.headers.get('location')).toBe(
      `${emulator.url}/api/now/table/sys_user/${text(one(response), 'sys_id')}`,
    );
  });

  it('gives a 32-hex lower-case sys_id and UTC timestamps in the instance format', async () => {
    const user = await createUser(emulator);

    expect(user.sys_id).toMatch(/^[0-9a-f]{32}$/);
    expect(user.sys_created_on).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(user.sys_updated_on).toBe(user.sys_created_on);
    expect(user.sys_created_by).toBe('admin');
    expect(user.sys_mod_count).toBe('0');
  });

  it('returns every value as a string and accepts booleans as true or "true"', async () => {
    const user = await createUser(emulator, { vip: true, web_service_access_only: 'true', notification: 1 });

    expect(Object.values(user).every((value) => typeof value === 'string')).toBe(true);
    expect(user).toMatchObject({ vip: 'true', web_service_access_only: 'true', notification: '1' });
  });

  it('makes a user active by default', async () => {
    const user = await createUser(emulator);

    expect(user.active).toBe('true');
    expect(user.locked_out).toBe('false');
  });

  it('ignores unknown fields and values sent for sys_ fields', async () => {
    const user = await createUser(emulator, {
      favourite_colour: 'teal',
      sys_id: 'f'.repeat(32),
      sys_mod_count: 9,
    });

    expect(user).not.toHaveProperty('favourite_colour');
    expect(user.sys_id).not.toBe('f'.repeat(32));
    expect(user.sys_mod_count).toBe('0');
  });
});

describe('user_name uniqueness', () => {
  it('refuses a user_name that differs only in case with 403 Operation Failed', async () => {
    await createUser(emulator, { user_name: 'jsmith', first_name: 'Jo', last_name: 'Smith' });

    const response = await call(emulator, 'POST', users, {
      body: newUser({ user_name: 'JSmith', first_name: 'Jane', last_name: 'Smith' }),
    });

    expect(response.status).toBe(403);
    expect(response.body).toEqual({
      error: { message: 'Operation Failed', detail: 'Error during insert of sys_user (Jane Smith)' },
      status: 'failure',
    });
    expect(
      emulator.records().filter((user) => (user.user_name ?? '').toLowerCase() === 'jsmith'),
    ).toHaveLength(1);
  });

  it('refuses renaming a user onto another user_name', async () => {
    await createUser(emulator, { user_name: 'taken' });
    const other = await createUser(emulator);

    const response = await call(emulator, 'PATCH', `${users}/${other.sys_id}`, {
      body: { user_name: 'TAKEN' },
    });

    expect(response.status).toBe(403);
    expect(response.body?.error?.message).toBe('Operation Failed');
  });
});

describe('write-protected accounts', () => {
  it('refuses any change to a protected account with 403, as an ACL does, and changes nothing', async () => {
    const guarded = await emulatorFor({ writeProtected: ['Guarded'] });
    const user = await createUser(guarded, { user_name: 'guarded', title: 'Old' });

    const response = await call(guarded, 'PATCH', `${users}/${user.sys_id}`, { body: { title: 'New' } });

    expect(response.status).toBe(403);
    expect(response.body).toEqual({
      error: {
        message: 'Operation Failed',
        detail: 'ACL Exception Update Failed due to security constraints',
      },
      status: 'failure',
    });
    expect(guarded.records().find((r) => r.sys_id === user.sys_id)).toMatchObject({
      title: 'Old',
      sys_mod_count: '0',
    });
  });
});

describe('reading, updating and deleting by sys_id', () => {
  it('reads one record', async () => {
    const user = await createUser(emulator);

    const response = await call(emulator, 'GET', `${users}/${user.sys_id}`);

    expect(response.status).toBe(200);
    expect(one(response)).toEqual(user);
  });

  it('updates with PATCH and with PUT and returns the record', async () => {
    const user = await createUser(emulator);

    const patched = await call(emulator, 'PATCH', `${users}/${user.sys_id}`, { body: { title: 'Engineer' } });
    const put = await call(emulator, 'PUT', `${users}/${user.sys_id}`, {
      body: { email: 'new@example.com' },
    });

    expect(one(patched).title).toBe('Engineer');
    expect(one(put)).toMatchObject({
      title: 'Engineer',
      email: 'new@example.com',
      sys_updated_by: 'admin',
    });
  });

  it('counts each applied update in sys_mod_count but not an update that changes nothing', async () => {
    const user = await createUser(emulator, { title: 'Analyst' });
    const path = `${users}/${user.sys_id}`;

    await call(emulator, 'PATCH', path, { body: { title: 'Lead' } });
    await call(emulator, 'PATCH', path, { body: { title: 'Manager' } });
    const unchanged = await call(emulator, 'PATCH', path, { body: { title: 'Manager' } });

    expect(unchanged.status).toBe(200);
    expect(one(unchanged).sys_mod_count).toBe('2');
  });

  it('deletes a record with 204 and then no longer finds it', async () => {
    const user = await createUser(emulator);

    const deleted = await call(emulator, 'DELETE', `${users}/${user.sys_id}`);
    const read = await call(emulator, 'GET', `${users}/${user.sys_id}`);

    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    expect(read.status).toBe(404);
  });

  it.each(['GET', 'PATCH', 'PUT', 'DELETE'])(
    'answers %s of an unknown sys_id with 404 No Record found',
    async (method) => {
      const response = await call(emulator, method, `${users}/${'0'.repeat(32)}`, {
        body: method === 'PATCH' || method === 'PUT' ? { title: 'x' } : undefined,
      });

      expect(response.status).toBe(404);
      expect(response.body).toEqual({
        error: {
          message: 'No Record found',
          detail: "Record doesn't exist or ACL restricts the record retrieval",
        },
        status: 'failure',
      });
    },
  );

  it('answers a body that is not JSON with 400 in the error envelope', async () => {
    const response = await fetch(`${emulator.url}${users}`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}`,
        'Content-Type': 'application/json',
      },
      body: '{"user_name": ',
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { message: 'Exception while reading request' },
      status: 'failure',
    });
  });
});
