import type { RunningEmulator } from '../../src/emulator/index.js';
import { call, emulatorFor, many, one, stopEmulators, text, userNames } from './helpers.js';

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

describe('paging through a larger table', () => {
  const titles = ['Analyst', 'engineer', 'Director', '', 'Clerk'];
  let large: RunningEmulator;
  beforeAll(async () => {
    const records = Array.from({ length: 250 }, (_, i) => ({
      user_name: `user.${String((i * 37) % 250).padStart(3, '0')}`,
      title: titles[i % titles.length]!,
    }));
    large = await emulatorFor({ seed: 'none', records });
  });

  async function page(query: string, limit: number, offset = 0, noCount = false, target = large) {
    const params = new URLSearchParams({
      sysparm_query: query,
      sysparm_limit: String(limit),
      sysparm_offset: String(offset),
      sysparm_fields: 'sys_id,user_name,title',
      ...(noCount ? { sysparm_no_count: 'true' } : {}),
    });
    const response = await call(target, 'GET', `/api/now/table/sys_user?${params.toString()}`);
    expect(response.status).toBe(200);
    return { rows: many(response), total: response.headers.get('x-total-count') };
  }

  it.each(['ORDERBYtitle', 'ORDERBYDESCtitle^ORDERBYuser_name', 'active=true^ORDERBYtitle'])(
    'gives, page by page, the rows of one whole answer in the same order, ties included, with %s',
    async (query) => {
      const whole = await page(query, 1000);
      const pages: string[] = [];
      for (let offset = 0; offset < 250; offset += 7) {
        const { rows, total } = await page(query, 7, offset);
        expect(total).toBe('250');
        pages.push(...rows.map((row) => text(row, 'user_name')));
      }
      expect(whole.rows).toHaveLength(250);
      expect(pages).toEqual(whole.rows.map((row) => text(row, 'user_name')));
    },
  );

  it('orders a whole answer by its keys, equal keys in the order the rows were made', async () => {
    const { rows } = await page('ORDERBYtitle', 1000);
    const sortedTitles = rows.map((row) => text(row, 'title').toLowerCase());
    expect(sortedTitles).toEqual([...sortedTitles].sort());
    const analysts = rows.filter((row) => row.title === 'Analyst').map((row) => text(row, 'user_name'));
    const made = Array.from({ length: 250 }, (_, i) => i)
      .filter((i) => i % titles.length === 0)
      .map((i) => `user.${String((i * 37) % 250).padStart(3, '0')}`);
    expect(analysts).toEqual(made);
  });

  it('reads every row once by keyset paging on sys_id', async () => {
    const seen: string[] = [];
    for (let last = ''; ;) {
      const { rows } = await page(`${last ? `sys_id>${last}^` : ''}ORDERBYsys_id`, 9);
      if (rows.length === 0) break;
      seen.push(...rows.map((row) => text(row, 'sys_id')));
      last = seen.at(-1)!;
    }
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
    expect(seen).toEqual([...seen].sort());
  });

  async function keysetPages(condition: string, limit: number, target = large) {
    const pages: string[][] = [];
    for (let last = ''; ;) {
      const terms = [condition, last ? `sys_id>${last}` : '', 'ORDERBYsys_id'].filter((t) => t !== '');
      const { rows, total } = await page(terms.join('^'), limit, 0, true, target);
      expect(total).toBeNull();
      if (rows.length === 0) return pages;
      pages.push(rows.map((row) => text(row, 'sys_id')));
      last = text(rows.at(-1)!, 'sys_id');
    }
  }

  it.each([
    ['', 250],
    ['title=engineer', 50],
    ['titleISEMPTY^ORtitle=clerk', 100],
  ])(
    'answers keyset pages without a count (%s) with the rows of the whole sorted answer',
    async (condition, count) => {
      const whole = await page(`${condition ? `${condition}^` : ''}ORDERBYsys_id`, 1000);
      const pages = await keysetPages(condition, 9);
      expect(whole.rows).toHaveLength(count);
      expect(pages.flat()).toEqual(whole.rows.map((row) => text(row, 'sys_id')));
      expect(pages.slice(0, -1).every((rows) => rows.length === 9)).toBe(true);
    },
  );

  it('starts a keyset page at its bound, with >= including it and an upper-case bound read as lower case', async () => {
    const whole = (await page('ORDERBYsys_id', 1000)).rows.map((row) => text(row, 'sys_id'));
    const bound = whole[100]!;
    const after = await page(`sys_id>${bound.toUpperCase()}^ORDERBYsys_id`, 3, 0, true);
    const from = await page(`sys_id>=${bound}^ORDERBYsys_id`, 3, 0, true);
    expect(after.rows.map((row) => row.sys_id)).toEqual(whole.slice(101, 104));
    expect(from.rows.map((row) => row.sys_id)).toEqual(whole.slice(100, 103));
  });

  it('sees a row made and a row removed after a keyset read', async () => {
    const own = await emulatorFor({
      seed: 'none',
      records: [{ user_name: 'a' }, { user_name: 'b' }, { user_name: 'c' }],
    });
    const before = (await keysetPages('', 2, own)).flat();
    const made = await call(own, 'POST', '/api/now/table/sys_user', { body: { user_name: 'late.comer' } });
    const removed = before[1]!;
    expect((await call(own, 'DELETE', `/api/now/table/sys_user/${removed}`)).status).toBe(204);

    const after = (await keysetPages('', 2, own)).flat();

    expect(after).toEqual([...before.filter((id) => id !== removed), text(one(made), 'sys_id')].sort());
  });
});
