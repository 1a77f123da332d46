import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { RunningEmulator } from '../../src/emulator/index.js';
import type { ServiceNowClient } from '../../src/servicenow/client.js';
import { clientFor, emulatorFor, mapped, newUser, rejectionOf, stopEmulators } from './fixture.js';

let emulator: RunningEmulator;
let client: ServiceNowClient;

beforeEach(async () => {
  emulator = await emulatorFor();
  client = clientFor(emulator);
});
afterEach(stopEmulators);

describe('values longer than their column', () => {
  it('refuses a 41-character user_name before sending anything', async () => {
    const error = await rejectionOf(client.createUser(newUser({ userName: 'u'.repeat(41) }), mapped));

    expect(error).toMatchObject({ type: 'ServiceNowValueTooLong', retryable: false });
    expect((error as Error).message).toMatch(/user_name.*40/);
    expect(emulator.requestLog()).toHaveLength(0);
  });

  it('writes a 40-character user_name whole', async () => {
    const user = await client.createUser(newUser({ userName: 'u'.repeat(40) }), mapped);

    expect(user.userName).toBe('u'.repeat(40));
  });

  it('refuses a rename to a 41-character user_name', async () => {
    const user = await client.createUser(newUser(), mapped);

    const error = await rejectionOf(client.updateUser(user.sysId, { userName: 'v'.repeat(41) }, mapped));

    expect(error).toMatchObject({ type: 'ServiceNowValueTooLong' });
    expect(emulator.records()[0]?.user_name).toBe(user.userName);
  });

  it('refuses a mapped field over its base-system length, naming the field and the limit', async () => {
    const error = await rejectionOf(
      client.createUser(newUser({ fields: { email: `${'e'.repeat(95)}@x.com` } }), mapped),
    );

    expect((error as Error).message).toMatch(/email.*100/);
    expect((error as Error).message).not.toContain('eeee');
  });

  it('uses the lengths an instance was configured with', async () => {
    const strict = clientFor(emulator, {}, { fieldLengths: { u_badge: 8 } });

    const error = await rejectionOf(strict.createUser(newUser({ fields: { u_badge: '123456789' } }), []));

    expect(error).toMatchObject({ type: 'ServiceNowValueTooLong' });
  });

  it('lets a field of unknown length through', async () => {
    const user = await client.createUser(newUser({ fields: { source: 's'.repeat(200) } }), ['source']);

    expect(user.fields.source).toHaveLength(200);
  });

  it('warns, with lengths and no value, when the instance cut a value of a column it did not know', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const watched = clientFor(emulator, {}, { logger: pino(stream) });

    // gender is a 40-character column that the client has no length for.
    const user = await watched.createUser(newUser({ fields: { gender: 'g'.repeat(45) } }), ['gender']);

    expect(user.fields.gender).toHaveLength(40);
    const warning = JSON.parse(lines.find((line) => line.includes('different value')) ?? '{}') as object;
    expect(warning).toMatchObject({ field: 'gender', writtenLength: 45, storedLength: 40, truncated: true });
    expect(lines.join('')).not.toContain('g'.repeat(40));
  });
});
