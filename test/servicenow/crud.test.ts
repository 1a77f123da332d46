import type { RunningEmulator } from '../../src/emulator/index.js';
import type { ServiceNowClient } from '../../src/servicenow/client.js';
import { ServiceNowError } from '../../src/servicenow/errors.js';
import { clientFor, emulatorFor, mapped, newUser, person, rejectionOf, stopEmulators } from './fixture.js';

let emulator: RunningEmulator;
let client: ServiceNowClient;

beforeEach(async () => {
  emulator = await emulatorFor();
  client = clientFor(emulator);
});
afterEach(stopEmulators);

const stored = (sysId: string) => emulator.records().find((row) => row.sys_id === sysId);

describe('createUser', () => {
  it('creates an active account with the mapped fields and gives it back with booleans', async () => {
    const user = await client.createUser(newUser({ userName: 'ada.lovelace' }), mapped);

    expect(user).toMatchObject({ userName: 'ada.lovelace', active: true, lockedOut: false });
    expect(user.sysId).toMatch(/^[0-9a-f]{32}$/);
    expect(stored(user.sysId)).toMatchObject({
      user_name: 'ada.lovelace',
      active: 'true',
      locked_out: 'false',
    });
    expect(stored(user.sysId)?.first_name).toBe(user.fields.first_name);
  });

  it('creates an inactive account locked out', async () => {
    const user = await client.createUser(newUser({ active: false }), mapped);

    expect(user).toMatchObject({ active: false, lockedOut: true });
    expect(stored(user.sysId)).toMatchObject({ active: 'false', locked_out: 'true' });
  });

  it('returns exactly the fields asked for', async () => {
    const user = await client.createUser(newUser({ fields: { title: 'Analyst' } }), ['title']);

    expect(user.fields).toEqual({ title: 'Analyst' });
  });

  it('refuses to write a field the client manages itself through the mapped fields', async () => {
    const error = await rejectionOf(client.createUser(newUser({ fields: { active: 'false' } }), mapped));

    expect(error).toMatchObject({ type: 'ServiceNowBadRequest', retryable: false });
    expect(emulator.requestLog()).toHaveLength(0);
  });
});

describe('getUser', () => {
  it('reads an account by sys_id with its mapped fields', async () => {
    const grace = person({ user_name: 'grace', first_name: 'Grace', active: false, locked_out: true });
    await emulatorWith(grace);
    const sysId = emulator.records()[0]!.sys_id!;

    const user = await client.getUser(sysId, mapped);

    expect(user).toEqual({
      sysId,
      userName: 'grace',
      active: false,
      lockedOut: true,
      fields: { first_name: 'Grace', last_name: grace.last_name, email: grace.email },
    });
  });

  it('gives undefined for a sys_id that does not exist', async () => {
    expect(await client.getUser('0123456789abcdef0123456789abcdef', mapped)).toBeUndefined();
    expect(emulator.requestLog()[0]?.status).toBe(404);
  });

  it('fails with ServiceNowUnknownField when a mapped field does not exist on the table', async () => {
    const user = await client.createUser(newUser(), mapped);

    const error = await rejectionOf(client.getUser(user.sysId, ['frist_name']));

    expect(error).toBeInstanceOf(ServiceNowError);
    expect(error).toMatchObject({ type: 'ServiceNowUnknownField', retryable: false });
    expect((error as Error).message).toContain('frist_name');
  });
});

describe('updateUser', () => {
  it('writes only the keys given', async () => {
    const user = await client.createUser(
      newUser({ fields: { first_name: 'Ann', last_name: 'Lee' } }),
      mapped,
    );
    emulator.clearRequestLog();

    const updated = await client.updateUser(user.sysId, { fields: { last_name: 'Smith' } }, mapped);

    expect(updated.fields).toMatchObject({ first_name: 'Ann', last_name: 'Smith' });
    expect(emulator.requestLog()[0]).toMatchObject({ method: 'PATCH', body: { last_name: 'Smith' } });
  });

  it('locks out an account it disables and unlocks one it enables', async () => {
    const user = await client.createUser(newUser(), mapped);

    const disabled = await client.updateUser(user.sysId, { active: false }, mapped);
    const enabled = await client.updateUser(user.sysId, { active: true }, mapped);

    expect(disabled).toMatchObject({ active: false, lockedOut: true });
    expect(enabled).toMatchObject({ active: true, lockedOut: false });
    const bodies = emulator
      .requestLog()
      .filter((entry) => entry.method === 'PATCH')
      .map((entry) => entry.body);
    expect(bodies).toEqual([
      { active: 'false', locked_out: 'true' },
      { active: 'true', locked_out: 'false' },
    ]);
  });

  it('renames an account', async () => {
    const user = await client.createUser(newUser({ userName: 'old.name' }), mapped);

    const renamed = await client.updateUser(user.sysId, { userName: 'new.name' }, mapped);

    expect(renamed.userName).toBe('new.name');
    expect(stored(user.sysId)?.user_name).toBe('new.name');
  });

  it('fails with a non-retryable ServiceNowNotFound when the account is gone', async () => {
    const error = await rejectionOf(
      client.updateUser('0123456789abcdef0123456789abcdef', { active: false }, mapped),
    );

    expect(error).toMatchObject({ type: 'ServiceNowNotFound', retryable: false, status: 404 });
  });

  it('sends nothing and reads the account when there is nothing to change', async () => {
    const user = await client.createUser(newUser(), mapped);
    emulator.clearRequestLog();

    expect(await client.updateUser(user.sysId, {}, mapped)).toEqual(user);
    expect(emulator.requestLog().map((entry) => entry.method)).toEqual(['GET']);
  });
});

async function emulatorWith(...records: Record<string, string | boolean>[]): Promise<void> {
  emulator = await emulatorFor({ records });
  client = clientFor(emulator);
}
