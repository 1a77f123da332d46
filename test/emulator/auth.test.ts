import type { RunningEmulator } from '../../src/emulator/index.js';
import { basic, call, emulatorFor, stopEmulators } from './helpers.js';

let emulator: RunningEmulator;

beforeEach(async () => {
  emulator = await emulatorFor({ accounts: [{ userName: 'svc.provisioning', password: 'S3cret-pass!' }] });
});
afterEach(stopEmulators);

const notAuthenticated = {
  error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' },
  status: 'failure',
};

describe('basic authentication', () => {
  it('answers a request without credentials with 401 and the instance body', async () => {
    const response = await call(emulator, 'GET', '/api/now/table/sys_user', { auth: null });

    expect(response.status).toBe(401);
    expect(response.body).toEqual(notAuthenticated);
  });

  it('answers a wrong password, and the default admin an emulator was not given, with 401', async () => {
    const wrong = await call(emulator, 'GET', '/api/now/table/sys_user', {
      auth: basic('svc.provisioning', 'nope'),
    });
    const admin = await call(emulator, 'GET', '/api/now/table/sys_user', { auth: basic('admin', 'admin') });

    expect([wrong.status, admin.status]).toEqual([401, 401]);
    expect(wrong.body).toEqual(notAuthenticated);
  });

  it('lets a configured account in', async () => {
    const response = await call(emulator, 'GET', '/api/now/table/sys_user', {
      auth: basic('svc.provisioning', 'S3cret-pass!'),
    });

    expect(response.status).toBe(200);
  });

  it('never writes the password or the Authorization header into the request log', async () => {
    const auth = basic('svc.provisioning', 'S3cret-pass!');
    await call(emulator, 'POST', '/api/now/table/sys_user', {
      auth,
      body: { user_name: 'x', user_password: 'pw1' },
    });
    await call(emulator, 'GET', '/api/now/table/sys_user', { auth: basic('svc.provisioning', 'wrong-pass') });

    const log = JSON.stringify(emulator.requestLog());

    expect(log).toContain('svc.provisioning');
    for (const secret of ['S3cret-pass!', 'wrong-pass', 'pw1', auth.slice(6), 'Basic'])
      expect(log).not.toContain(secret);
  });

  it('guards the admin endpoints but not health', async () => {
    const requests = await call(emulator, 'GET', '/emulator/requests', { auth: null });
    const health = await call(emulator, 'GET', '/emulator/health', { auth: null });

    expect(requests.status).toBe(401);
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
  });
});
