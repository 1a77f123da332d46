import type { RunningEmulator } from '../../src/emulator/index.js';
import { call, createUser, emulatorFor, many, stopEmulators } from './helpers.js';

let emulator: RunningEmulator;

beforeEach(async () => {
  emulator = await emulatorFor();
});
afterEach(stopEmulators);

describe('the request log', () => {
  it('records each API request with its table, sys_id, query, status, user and body', async () => {
    const user = await createUser(emulator, { user_name: 'logged' });
    await call(emulator, 'PATCH', `/api/now/table/sys_user/${user.sys_id}?sysparm_fields=title`, {
      body: { title: 'Clerk' },
    });

    const [created, patched] = emulator.requestLog();

    expect(created).toMatchObject({
      seq: 1,
      method: 'POST',
      path: '/api/now/table/sys_user',
      table: 'sys_user',
    });
    expect(created).toMatchObject({ status: 201, user: 'admin', body: { user_name: 'logged' } });
    expect(patched).toMatchObject({ seq: 2, method: 'PATCH', sysId: user.sys_id, status: 200 });
    expect(patched).toMatchObject({ query: { sysparm_fields: 'title' }, body: { title: 'Clerk' } });
    expect(patched?.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('records refused requests too, without a user when none authenticated', async () => {
    await call(emulator, 'GET', '/api/now/table/sys_user', { auth: null });

    expect(emulator.requestLog()).toEqual([expect.objectContaining({ status: 401, method: 'GET' })]);
    expect(emulator.requestLog()[0]).not.toHaveProperty('user');
  });

  it('is served at /emulator/requests, from a sequence number on, without logging itself', async () => {
    await call(emulator, 'GET', '/api/now/table/sys_user');
    await call(emulator, 'GET', '/api/now/table/sys_user?user_name=admin');

    const all = await call(emulator, 'GET', '/emulator/requests');
    const since = await call(emulator, 'GET', '/emulator/requests?since=1');

    expect(many(all)).toHaveLength(2);
    expect(many(since)).toEqual([expect.objectContaining({ seq: 2, query: { user_name: 'admin' } })]);
  });

  it('empties with DELETE /emulator/requests and with clearRequestLog, numbering on', async () => {
    await call(emulator, 'GET', '/api/now/table/sys_user');
    await call(emulator, 'DELETE', '/emulator/requests');
    await call(emulator, 'GET', '/api/now/table/sys_user');
    const afterDelete = emulator.requestLog();
    emulator.clearRequestLog();

    expect(afterDelete.map((entry) => entry.seq)).toEqual([2]);
    expect(emulator.requestLog()).toEqual([]);
  });
});

describe('seed records', () => {
  it('has the administrator, the integration account and guest by default', async () => {
    const response = await call(emulator, 'GET', '/api/now/table/sys_user?sysparm_query=ORDERBYuser_name');

    expect(many(response)).toEqual([
      expect.objectContaining({
        user_name: 'admin',
        name: 'System Administrator',
        email: 'admin@example.com',
      }),
      expect.objectContaining({ user_name: 'guest' }),
      expect.objectContaining({
        user_name: 'svc.provisioning',
        first_name: 'Provisioning',
        last_name: 'Integration',
      }),
    ]);
  });

  it('starts empty with seed none and loads the records given', async () => {
    const bare = await emulatorFor({ seed: 'none', records: [{ user_name: 'preexisting', active: false }] });

    expect(bare.records()).toEqual([expect.objectContaining({ user_name: 'preexisting', active: 'false' })]);
  });

  it('goes back to the seed with POST /emulator/reset', async () => {
    const admin = emulator.records().find((user) => user.user_name === 'admin');
    await createUser(emulator);
    await call(emulator, 'PATCH', `/api/now/table/sys_user/${admin?.sys_id}`, { body: { title: 'Changed' } });

    const reset = await call(emulator, 'POST', '/emulator/reset');

    expect(reset.status).toBe(204);
    expect(emulator.records().map((user) => user.user_name)).toEqual(['admin', 'svc.provisioning', 'guest']);
    expect(emulator.records()[0]?.title).toBe('System Administrator');
  });
});
