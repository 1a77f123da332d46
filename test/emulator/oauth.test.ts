import type { EmulatorOptions, RunningEmulator } from '../../src/emulator/index.js';
import { call, emulatorFor, stopEmulators } from './helpers.js';

afterEach(stopEmulators);

const client = { client_id: 'provisioner', client_secret: 'client-secret' };
const options: EmulatorOptions = {
  accounts: [{ userName: 'svc.provisioning', password: 'user-secret' }],
  oauthClients: [{ clientId: 'provisioner', clientSecret: 'client-secret' }],
};
const passwordGrant = {
  ...client,
  grant_type: 'password',
  username: 'svc.provisioning',
  password: 'user-secret',
};

interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

async function requestToken(emulator: RunningEmulator, form: Record<string, string>): Promise<TokenAnswer> {
  const response = await fetch(`${emulator.url}/oauth_token.do`, {
    method: 'POST',
    body: new URLSearchParams(form),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function withBearer(emulator: RunningEmulator, token: unknown): Promise<number> {
  const response = await call(emulator, 'GET', '/api/now/table/sys_user', {
    auth: `Bearer ${String(token)}`,
  });
  return response.status;
}

describe('OAuth', () => {
  it('grants tokens for a registered client and account, form-encoded', async () => {
    const emulator = await emulatorFor(options);

    const answer = await requestToken(emulator, passwordGrant);

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      access_token: expect.stringMatching(/^[\w-]{40,}$/) as unknown,
      refresh_token: expect.stringMatching(/^[\w-]{40,}$/) as unknown,
      scope: 'useraccount',
      token_type: 'Bearer',
      expires_in: 1799,
    });
  });

  it('accepts the access token on the API and logs its user, never the token', async () => {
    const emulator = await emulatorFor(options);
    const { body } = await requestToken(emulator, passwordGrant);

    expect(await withBearer(emulator, body.access_token)).toBe(200);
    expect(emulator.requestLog().map((entry) => entry.user)).toEqual([
      'svc.provisioning',
      'svc.provisioning',
    ]);
    expect(JSON.stringify(emulator.requestLog())).not.toContain(String(body.access_token));
  });

  it('gives the same access token again while it is valid', async () => {
    const emulator = await emulatorFor(options);

    const first = await requestToken(emulator, passwordGrant);
    const second = await requestToken(emulator, passwordGrant);

    expect(second.body.access_token).toBe(first.body.access_token);
  });

  it.each([
    ['a wrong client secret', { ...passwordGrant, client_secret: 'nope' }],
    ['a wrong password', { ...passwordGrant, password: 'nope' }],
    ['an unknown grant type', { ...passwordGrant, grant_type: 'client_credentials' }],
  ])('refuses %s with 401 access_denied', async (_case, form) => {
    const emulator = await emulatorFor(options);

    expect(await requestToken(emulator, form)).toEqual({
      status: 401,
      body: { error_description: 'access_denied', error: 'server_error' },
    });
  });

  it('refuses a JSON body, as the instance reads form parameters only', async () => {
    const emulator = await emulatorFor(options);

    const response = await fetch(`${emulator.url}/oauth_token.do`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(passwordGrant),
    });

    expect(response.status).toBe(401);
  });

  it('answers an expired access token with 401 and the instance body, and a refresh gives a working one', async () => {
    const expiring = await emulatorFor({ ...options, tokenLifetimeSeconds: 0 });
    const { body } = await requestToken(expiring, passwordGrant);
    const refreshed = await requestToken(expiring, {
      ...client,
      grant_type: 'refresh_token',
      refresh_token: String(body.refresh_token),
    });
    const response = await call(expiring, 'GET', '/api/now/table/sys_user', {
      auth: `Bearer ${String(body.access_token)}`,
    });

    expect(body.expires_in).toBe(0);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' },
      status: 'failure',
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(body.access_token);
  });

  it('refreshes into a token the API accepts, and refuses a refresh token of another client', async () => {
    const emulator = await emulatorFor({
      ...options,
      oauthClients: [...(options.oauthClients ?? []), { clientId: 'other', clientSecret: 'other-secret' }],
    });
    const { body } = await requestToken(emulator, passwordGrant);
    const refresh = { grant_type: 'refresh_token', refresh_token: String(body.refresh_token) };

    const refreshed = await requestToken(emulator, { ...client, ...refresh });
    const stolen = await requestToken(emulator, {
      client_id: 'other',
      client_secret: 'other-secret',
      ...refresh,
    });

    expect(await withBearer(emulator, refreshed.body.access_token)).toBe(200);
    expect(stolen.status).toBe(401);
  });

  it('does not take a made-up bearer token', async () => {
    const emulator = await emulatorFor(options);

    expect(await withBearer(emulator, 'made-up')).toBe(401);
  });
});
