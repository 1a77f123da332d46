import { createServer } from 'node:net';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { Secret } from '../../src/config/secret.js';
import { ServiceNowError } from '../../src/servicenow/errors.js';
import { clientFor, emulatorFor, mapped, newUser, person, rejectionOf, stopEmulators } from './fixture.js';

let emulator: RunningEmulator;

beforeEach(async () => {
  emulator = await emulatorFor({ records: [person({ user_name: 'taken' })] });
});
afterEach(stopEmulators);

const wrongPassword = {
  auth: { type: 'basic' as const, username: 'svc.provisioning', password: new Secret('nope', 't') },
};

describe('error classification', () => {
  it('makes a 401 a non-retryable ServiceNowUnauthorized naming the method, table and status', async () => {
    const error = await rejectionOf(clientFor(emulator, wrongPassword).findUsersByUserName('taken', mapped));

    expect(error).toBeInstanceOf(ServiceNowError);
    expect(error).toMatchObject({ type: 'ServiceNowUnauthorized', retryable: false, status: 401 });
    expect((error as Error).message).toMatch(/findUsersByUserName: GET sys_user answered 401/);
  });

  it('makes a 403 "Operation Failed" on insert a non-retryable ServiceNowDuplicate', async () => {
    const error = await rejectionOf(clientFor(emulator).createUser(newUser({ userName: 'TAKEN' }), mapped));

    expect(error).toMatchObject({ type: 'ServiceNowDuplicate', retryable: false, status: 403 });
    expect((error as Error).message).toContain('Operation Failed');
  });

  it('makes a rename onto a taken user_name a ServiceNowDuplicate too', async () => {
    const client = clientFor(emulator);
    const user = await client.createUser(newUser(), mapped);

    const error = await rejectionOf(client.updateUser(user.sysId, { userName: 'Taken' }, mapped));

    expect(error).toMatchObject({ type: 'ServiceNowDuplicate', retryable: false });
  });

  it('makes a 404 on an update a non-retryable ServiceNowNotFound', async () => {
    const error = await rejectionOf(
      clientFor(emulator).updateUser('fedcba9876543210fedcba9876543210', { active: true }, mapped),
    );

    expect(error).toMatchObject({ type: 'ServiceNowNotFound', retryable: false, status: 404 });
  });

  it('makes a 400 a non-retryable ServiceNowBadRequest', async () => {
    // An instance URL with a path that is not there: the instance answers 400 for an unknown resource.
    const client = clientFor({ url: `${emulator.url}/not-an-instance` });

    const error = await rejectionOf(client.findUsersByUserName('taken', mapped));

    expect(error).toMatchObject({ type: 'ServiceNowBadRequest', retryable: false, status: 400 });
  });

  it('makes a refused connection a retryable ServiceNowNetwork', async () => {
    const client = clientFor({ url: `http://127.0.0.1:${await closedPort()}` });

    const error = await rejectionOf(client.getUser('0123456789abcdef0123456789abcdef', mapped));

    expect(error).toMatchObject({ type: 'ServiceNowNetwork', retryable: true });
    expect((error as ServiceNowError).status).toBeUndefined();
    expect((error as Error).message).toContain('ECONNREFUSED');
  });
});

/** A port that nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
