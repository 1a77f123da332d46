import type { RunningEmulator } from '../../src/emulator/index.js';
import { call, createUser, emulatorFor, many, one, stopEmulators, text } from './helpers.js';

let emulator: RunningEmulator;

beforeEach(async () => {
  emulator = await emulatorFor();
});
afterEach(stopEmulators);

describe('tables and API versions', () => {
  it.each(['/api/now/table', '/api/now/v1/table', '/api/now/v2/table'])(
    'serves sys_user under %s',
    async (prefix) => {
      const user = await createUser(emulator);

      const response = await call(emulator, 'GET', `${prefix}/sys_user/${user.sys_id}`);

      expect(one(response).user_name).toBe(user.user_name);
    },
  );

  it('keeps groups, their members and departments in their own tables', async () => {
    const user = await createUser(emulator);
    const group = one(
      await call(emulator, 'POST', '/api/now/v2/table/sys_user_group', { body: { name: 'Ops' } }),
    );
    const member = await call(emulator, 'POST', '/api/now/table/sys_user_grmember', {
      body: { user: user.sys_id, group: group.sys_id },
    });
    const departments = await call(
      emulator,
      'GET',
      '/api/now/table/cmn_department?sysparm_query=ORDERBYname',
    );

    expect(member.status).toBe(201);
    expect(emulator.records('sys_user_grmember')).toEqual([
      expect.objectContaining({ user: user.sys_id, group: group.sys_id }),
    ]);
    expect(many(departments).map((department) => text(department, 'name'))).toEqual([
      'Engineering',
      'Finance',
      'Human Resources',
      'IT',
      'Sales',
    ]);
  });

  it('answers an unknown table with 400 Invalid table', async () => {
    const response = await call(emulator, 'GET', '/api/now/table/sys_usr');

    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: { message: 'Invalid table sys_usr', detail: null },
      status: 'failure',
    });
  });

  it('refuses records() of a table it does not serve with a typed error', () => {
    const records = (): unknown => emulator.records('incident');

    expect(records).toThrow('The emulator has no table incident');
    expect(() => records()).toThrow(expect.objectContaining({ code: 'EMULATOR_UNKNOWN_TABLE' }) as Error);
  });

  it('answers a path outside the API with 400 in the error envelope', async () => {
    const response = await call(emulator, 'GET', '/api/now/tables/sys_user');

    expect(response).toMatchObject({
      status: 400,
      body: { error: { message: 'Requested URI does not represent any resource' }, status: 'failure' },
    });
  });
});

describe('paging headers', () => {
  const list = (query: string) => call(emulator, 'GET', `/api/now/table/cmn_department?${query}`);

  it('links first, next and last in the instance format, keeping the query', async () => {
    const response = await list('sysparm_query=ORDERBYname&sysparm_limit=2');
    const page = (offset: number) =>
      `<${emulator.url}/api/now/table/cmn_department?sysparm_query=ORDERBYname&sysparm_limit=2&sysparm_offset=${offset}>`;

    expect(response.headers.get('link')).toBe(
      `${page(0)};rel="first",${page(2)};rel="next",${page(4)};rel="last"`,
    );
    expect(response.headers.get('x-total-count')).toBe('5');
  });

  it('links prev from a later page and no next from the last', async () => {
    const response = await list('sysparm_limit=2&sysparm_offset=4');

    expect(response.headers.get('link')).toMatch(
      /sysparm_offset=2>;rel="prev",<[^>]*sysparm_offset=4>;rel="last"$/,
    );
    expect(many(response)).toHaveLength(1);
  });

  it('omits X-Total-Count and the last link with sysparm_no_count=true', async () => {
    const response = await list('sysparm_limit=2&sysparm_no_count=true');

    expect(response.headers.get('x-total-count')).toBeNull();
    expect(response.headers.get('link')).not.toContain('rel="last"');
    expect(response.headers.get('link')).toContain('rel="next"');
  });

  it('pages by 10000 when no limit is given', async () => {
    const response = await list('');

    expect(response.headers.get('link')).toContain('sysparm_limit=10000&sysparm_offset=0>;rel="first"');
    expect(many(response)).toHaveLength(5);
  });
});
