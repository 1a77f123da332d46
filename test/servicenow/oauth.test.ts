import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { Secret } from '../../src/config/secret.js';
import { ServiceNowClient } from '../../src/servicenow/client.js';
import type { ServiceNowSettings } from '../../src/servicenow/types.js';
import {
  apiPassword,
  apiUser,
  emulatorFor,
  mapped,
  rejectionOf,
  settingsFor,
  stopEmulators,
} from './fixture.js';

const clientId = 'provisioner-app';
const clientSecret = 'oauth-client-secret-4f9a';

afterEach(stopEmulators);

/** Every line the client logs, parsed. */
function memoryLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const grants = () =>
    lines
      .map((line) => JSON.parse(line) as { msg: string; grant?: string })
      .flatMap((e) => (e.grant ? [e.grant] : []));
  return { logger: pino({ level: 'debug' }, stream), lines, grants };
}

function oauthSettings(emulator: RunningEmulator, secret = clientSecret): ServiceNowSettings {
  return settingsFor(emulator, {
    auth: {
      type: 'oauth',
      clientId,
      clientSecret: new Secret(secret, 'test'),
      username: apiUser,
      password: new Secret(apiPassword, 'test'),
    },
  });
}

const oauthEmulator = (tokenLifetimeSeconds = 1800, port?: number) =>
  emulatorFor({
    oauthClients: [{ clientId, clientSecret }],
    tokenLifetimeSeconds,
    ...(port ? { port } : {}),
  });

describe('OAuth', () => {
  it('signs in with a password grant and uses one token for many calls', async () => {
    const emulator = await oauthEmulator();
    const { logger, grants } = memoryLogger();
    const client = new ServiceNowClient(oauthSettings(emulator), { logger });

    await Promise.all([1, 2, 3, 4, 5].map((n) => client.findUsersByUserName(`user.${n}`, mapped)));

    const log = emulator.requestLog();
    expect(log.filter((entry) => entry.path === '/oauth_token.do')).toHaveLength(1);
    expect(
      log.filter((entry) => entry.table === 'sys_user').map((entry) => [entry.status, entry.user]),
    ).toEqual(Array(5).fill([200, apiUser]));
    expect(grants()).toEqual(['password']);
  });

  it('renews the token with the refresh token and keeps working past its expiry', async () => {
    const emulator = await oauthEmulator(3);
    const { logger, grants } = memoryLogger();
    const client = new ServiceNowClient(oauthSettings(emulator), { logger });

    await client.findUsersByUserName('a', mapped);
    await sleep(1700); // inside the last fifth of the token's life
    await client.findUsersByUserName('b', mapped);
    await sleep(1500); // past the first token's expiry
    await client.findUsersByUserName('c', mapped);

    expect(grants()[0]).toBe('password');
    expect(grants().slice(1)).toContain('refresh_token');
    expect(grants().slice(1)).not.toContain('password');
  });

  it('signs in again when the instance refuses both the token and the refresh token', async () => {
    const first = await oauthEmulator();
    const { logger, grants } = memoryLogger();
    const client = new ServiceNowClient(oauthSettings(first), { logger });
    await client.findUsersByUserName('a', mapped);

    // A new instance on the same address knows neither token.
    const { port } = first;
    await first.close();
    const second = await oauthEmulator(1800, port);
    // A kept-alive connection to the old instance may break first: retryable, as a retry policy would.
    const lookUp = () => client.findUsersByUserName('b', mapped);
    const found = await lookUp().catch((error: { type?: string }) => {
      if (error.type !== 'ServiceNowNetwork') throw error;
      return lookUp();
    });

    expect(found).toEqual([]);
    expect(grants()).toEqual(['password', 'password']);
    expect(second.requestLog().map((entry) => [entry.path.split('?')[0], entry.status])).toEqual([
      ['/api/now/table/sys_user', 401],
      ['/oauth_token.do', 401],
      ['/oauth_token.do', 200],
      ['/api/now/table/sys_user', 200],
    ]);
  });

  it('makes a wrong client secret a non-retryable ServiceNowUnauthorized that names no secret', async () => {
    const emulator = await oauthEmulator();
    const client = new ServiceNowClient(oauthSettings(emulator, 'wrong-secret-value'));

    const error = await rejectionOf(client.getUser('0123456789abcdef0123456789abcdef', mapped));

    expect(error).toMatchObject({ type: 'ServiceNowUnauthorized', retryable: false });
    expect((error as Error).message).toMatch(/oauth password grant: POST oauth_token.do answered 401/);
    expect(JSON.stringify(error)).not.toMatch(/wrong-secret-value|Tr0ub4dor/);
  });

  it('logs no token, secret or password', async () => {
    const emulator = await oauthEmulator(3);
    const { logger, lines } = memoryLogger();
    const client = new ServiceNowClient(oauthSettings(emulator), { logger });

    await client.findUsersByUserName('a', mapped);
    await client.createUser({ userName: 'logged.user', active: true, fields: {} }, mapped);

    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toMatch(
      new RegExp(`${clientSecret}|${apiPassword}|Bearer|[A-Za-z0-9_-]{60,}`),
    );
  });
});
