import type { RunningEmulator } from '../../src/emulator/index.js';
import { call, emulatorFor, many, stopEmulators, userNames } from './helpers.js';

let emulator: RunningEmulator;

const people: Array<Record<string, string | number | boolean>> = [
  { user_name: 'amy', first_name: 'Amy', last_name: 'Archer', title: 'Analyst', failed_attempts: 3 },
  { user_name: 'ben', first_name: 'Ben', last_name: 'Baker', title: 'Engineer', failed_attempts: 10 },
  { user_name: 'cal', first_name: 'Cal', last_name: 'Cole', title: '', failed_attempts: 2, active: false },
  { user_name: 'dee', first_name: 'Dee', last_name: 'Dunn', title: 'Senior Engineer', failed_attempts: 1 },
];

beforeAll(async () => {
  emulator = await emulatorFor({ seed: 'none', records: people });
});
afterAll(stopEmulators);

async function find(query: string): Promise<string[]> {
  const response = await call(
    emulator,
    'GET',
    `/api/now/table/sys_user?sysparm_query=${encodeURIComponent(query)}`,
  );
  expect(response.status).toBe(200);
  return userNames(response);
}

describe('sysparm_query', () => {
  it('compares case-insensitively, so user_name=AMY finds amy', async () => {
    expect(await find('user_name=AMY')).toEqual(['amy']);
  });

  it.each([
    ['user_name!=amy', ['ben', 'cal', 'dee']],
    ['active=true^titleLIKEengineer', ['ben', 'dee']],
    ['user_name=amy^ORuser_name=cal', ['amy', 'cal']],
    ['user_name=amy^NQuser_name=ben', ['amy', 'ben']],
    ['user_nameINcal,AMY', ['amy', 'cal']],
    ['user_nameNOT INcal,amy', ['ben', 'dee']],
    ['titleLIKEENGINEER', ['ben', 'dee']],
    ['titleNOTLIKEengineer', ['amy', 'cal']],
    ['titleSTARTSWITHsen', ['dee']],
    ['titleENDSWITHneer', ['ben', 'dee']],
    ['titleISEMPTY', ['cal']],
    ['titleISNOTEMPTY', ['amy', 'ben', 'dee']],
    ['user_name>ben', ['cal', 'dee']],
    ['user_name>=ben', ['ben', 'cal', 'dee']],
    ['user_name<ben', ['amy']],
    ['user_name<=BEN', ['amy', 'ben']],
    ['failed_attempts>2', ['amy', 'ben']],
  ])('selects with %s', async (query, expected) => {
    expect(await find(query)).toEqual(expected);
  });

  it('orders by ORDERBY and ORDERBYDESC, numbers as numbers', async () => {
    expect(await find('ORDERBYDESCuser_name')).toEqual(['dee', 'cal', 'ben', 'amy']);
    expect(await find('active=true^ORDERBYfailed_attempts')).toEqual(['dee', 'amy', 'ben']);
  });

  it('drops a clause on an unknown field, so the query matches more', async () => {
    expect(await find('user_nmae=amy')).toEqual(['amy', 'ben', 'cal', 'dee']);
    expect(await find('user_name=ben^no_such_field=1')).toEqual(['ben']);
  });

  it('splits on a ^ inside a value, as there is no escaping', async () => {
    expect(await find('user_name=nobody^ORuser_name=dee')).toEqual(['dee']);
    expect(await find('last_name=Baker^Co')).toEqual(['ben']);
  });

  it('filters by plain name=value parameters too', async () => {
    const response = await call(emulator, 'GET', '/api/now/table/sys_user?first_name=CAL');

    expect(userNames(response)).toEqual(['cal']);
  });
});

describe('fields and paging', () => {
  it('returns only the sysparm_fields asked for', async () => {
    const response = await call(
      emulator,
      'GET',
      '/api/now/table/sys_user?sysparm_fields=user_name,sys_id&user_name=amy',
    );

    expect(Object.keys(many(response)[0] ?? {})).toEqual(['user_name', 'sys_id']);
  });

  it('pages with sysparm_limit and sysparm_offset and counts all matches in X-Total-Count', async () => {
    const response = await call(
      emulator,
      'GET',
      '/api/now/table/sys_user?sysparm_query=ORDERBYuser_name&sysparm_limit=2&sysparm_offset=1',
    );

    expect(userNames(response)).toEqual(['ben', 'cal']);
    expect(response.headers.get('x-total-count')).toBe('4');
  });
});
