import { inspect } from 'node:util';
import { createServer } from 'node:net';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { Secret } from '../../src/config/secret.js';
import { clientFor, emulatorFor, mapped, newUser, rejectionOf, stopEmulators } from './fixture.js';

const password = 'S3cret-Never-Printed!';
const basicHeader = Buffer.from(`svc.provisioning:${password}`).toString('base64');

let emulator: RunningEmulator;

beforeEach(async () => {
  emulator = await emulatorFor();
});
afterEach(stopEmulators);

const basicAuth = {
  auth: { type: 'basic' as const, username: 'svc.provisioning', password: new Secret(password, 't') },
};

/** Every way an error gets written out: message, stack, JSON, inspection, and its cause the same ways. */
function everyRendering(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  return [
    String(error),
    (error as Error).stack ?? '',
    JSON.stringify(error),
    inspect(error, { depth: 10, showHidden: true }),
    String(cause),
    (cause as Error | undefined)?.stack ?? '',
    JSON.stringify(cause) ?? '',
    inspect(cause, { depth: 10, showHidden: true }),
  ].join('\n');
}

describe('errors keep credentials out', () => {
  it('leaves the password out of a 401', async () => {
    const error = await rejectionOf(clientFor(emulator, basicAuth).createUser(newUser(), mapped));

    expect(error).toMatchObject({ type: 'ServiceNowUnauthorized' });
    expect(everyRendering(error)).not.toContain(password);
    expect(everyRendering(error)).not.toContain(basicHeader);
  });

  it('leaves the Authorization header out of a failed connection, whose got error carried it', async () => {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };

    const client = clientFor({ url: `http://127.0.0.1:${port}` }, basicAuth);
    const error = await rejectionOf(client.findUsersByUserName('someone', mapped));
    await new Promise<void>((resolve) => server.close(() => resolve()));

    expect(error).toMatchObject({ type: 'ServiceNowNetwork', retryable: true });
    expect(everyRendering(error)).not.toContain(password);
    expect(everyRendering(error)).not.toContain(basicHeader);
    expect(everyRendering(error)).not.toMatch(/authorization/i);
  });

  it('leaves the password out of a timeout', async () => {
    // A server that accepts the connection and never answers.
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };

    const client = clientFor({ url: `http://127.0.0.1:${port}` }, { ...basicAuth, timeout: '200ms' });
    const error = await rejectionOf(client.getUser('0123456789abcdef0123456789abcdef', mapped));
    server.close();

    expect(error).toMatchObject({ type: 'ServiceNowTimeout', retryable: true });
    expect(everyRendering(error)).not.toContain(basicHeader);
    expect(everyRendering(error)).not.toMatch(/authorization/i);
  });
});
