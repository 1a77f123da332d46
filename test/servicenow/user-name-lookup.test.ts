import type { RunningEmulator } from '../../src/emulator/index.js';
import type { ServiceNowClient } from '../../src/servicenow/client.js';
import { clientFor, emulatorFor, mapped, newUser, person, rejectionOf, stopEmulators } from './fixture.js';

let emulator: RunningEmulator;
let client: ServiceNowClient;

/** Bystanders that a value turned into query syntax would drag into the answer. */
const bystanders = [
  person({ user_name: 'jsmith' }),
  person({ user_name: 'a' }),
  person({ user_name: 'b' }),
  person({ user_name: 'x' }),
  person({ user_name: 'o.brien' }),
];

beforeEach(async () => {
  emulator = await emulatorFor({ records: bystanders });
  client = clientFor(emulator);
});
afterEach(stopEmulators);

const namesFound = async (userName: string) =>
  (await client.findUsersByUserName(userName, mapped)).map((user) => user.userName);

describe('findUsersByUserName', () => {
  it('finds an account whatever the case of the name asked for', async () => {
    expect(await namesFound('JSmith')).toEqual(['jsmith']);
  });

  it('finds nobody for a name that has no account', async () => {
    expect(await namesFound('nobody')).toEqual([]);
  });

  it('returns the mapped fields of what it finds', async () => {
    const [user] = await client.findUsersByUserName('jsmith', mapped);

    expect(Object.keys(user?.fields ?? {})).toEqual([...mapped]);
  });

  it('sends an ordinary name as a plain user_name parameter, not as an encoded query', async () => {
    await namesFound('jsmith');

    const [entry] = emulator.requestLog();
    expect(entry?.query.user_name).toBe('jsmith');
    expect(entry?.query.sysparm_query).toBeUndefined();
  });

  it.each([
    ['a^ORuser_name=b', 'an ^OR'],
    ['a^NQuser_name=x', 'an ^NQ'],
    ['jsmith^user_name!=zzz', 'a ^'],
    ['o^brien', 'a ^ and a bystander containing the rest'],
    ['a,b', 'a comma'],
    ['x=y', 'an equals sign'],
  ])('finds no bystander for %s (%s in the value)', async (userName) => {
    expect(await namesFound(userName)).toEqual([]);
  });

  it.each([
    ['a^ORuser_name=b'],
    ['a^NQuser_name=x'],
    ['o^brien'],
    ['a,b'],
    ['x=y'],
    ['josé.núñez'],
    ['ÅSA.ÖBERG'],
    ['李小龍'],
  ])('finds exactly the account named %s once it exists', async (userName) => {
    await client.createUser(newUser({ userName }), mapped);

    expect(await namesFound(userName)).toEqual([userName]);
    expect(await namesFound(userName.toUpperCase())).toEqual([userName]);
  });

  it('finds an account when the name asked for has spaces around it', async () => {
    expect(await namesFound('  jsmith ')).toEqual(['jsmith']);
  });

  it('finds an account stored with spaces around its name', async () => {
    emulator = await emulatorFor({ records: [...bystanders, person({ user_name: ' spaced ' })] });
    client = clientFor(emulator);

    expect(await namesFound(' spaced ')).toEqual([' spaced ']);
  });

  it('refuses a name that is nothing but carets, rather than search everyone', async () => {
    const error = await rejectionOf(client.findUsersByUserName('^^', mapped));

    expect(error).toMatchObject({ type: 'ServiceNowBadRequest', retryable: false });
    expect(emulator.requestLog()).toHaveLength(0);
  });

  it('refuses a name that ServiceNow would run as a script', async () => {
    const error = await rejectionOf(client.findUsersByUserName('javascript:gs.getUserID()', mapped));

    expect(error).toMatchObject({ type: 'ServiceNowBadRequest', retryable: false });
  });
});

describe('values written and read back', () => {
  it.each([
    ['a caret', 'O^Brien'],
    ['^NQ and ^OR', 'x^NQy^ORz'],
    ['a comma and an equals sign', 'Smith, Jr. = II'],
    ['non-ASCII letters', 'Ñúñez-Øster Łódź 李'],
    ['spaces around it', '  Padded  '],
  ])('keeps a field value with %s as written', async (_what, value) => {
    const user = await client.createUser(newUser({ fields: { last_name: value } }), mapped);

    expect((await client.getUser(user.sysId, mapped))?.fields.last_name).toBe(value);
    const updated = await client.updateUser(user.sysId, { fields: { first_name: value } }, mapped);
    expect(updated.fields.first_name).toBe(value);
  });

  it('writes a user_name without the spaces around it', async () => {
    const user = await client.createUser(newUser({ userName: '  padded.name ' }), mapped);

    expect(user.userName).toBe('padded.name');
  });
});
