import { retryDelayMs } from '../../src/servicenow/classify.js';
import { parseBoolean, sameUserName } from '../../src/servicenow/records.js';
import { userNameQuery } from '../../src/servicenow/user-name-lookup.js';

describe('parseBoolean', () => {
  it.each([
    ['true', true],
    ['false', false],
    ['TRUE', true],
    ['Yes', true],
    ['No', false],
    ['1', true],
    ['0', false],
    ['', false],
    [true, true],
    [false, false],
  ])('reads %p as %p', (value, expected) => {
    expect(parseBoolean(value, 'active')).toBe(expected);
  });

  it.each([['maybe'], ['2'], [null], [{}]])('refuses %p rather than guess', (value) => {
    expect(() => parseBoolean(value, 'active')).toThrow(/active is not a boolean/);
  });
});

describe('retryDelayMs', () => {
  const now = Date.parse('2030-01-01T00:00:00Z');

  it('reads Retry-After in seconds', () => {
    expect(retryDelayMs({ 'retry-after': '7' }, now)).toBe(7000);
  });

  it('reads Retry-After as an HTTP date', () => {
    expect(retryDelayMs({ 'retry-after': 'Tue, 01 Jan 2030 00:00:30 GMT' }, now)).toBe(30_000);
  });

  it('falls back to X-RateLimit-Reset when there is no Retry-After', () => {
    expect(retryDelayMs({ 'x-ratelimit-reset': String(now / 1000 + 4) }, now)).toBe(4000);
  });

  it('reads a Retry-After date already past as zero', () => {
    expect(retryDelayMs({ 'retry-after': 'Mon, 31 Dec 2029 23:59:00 GMT' }, now)).toBe(0);
  });

  it('gives nothing when neither header says anything usable', () => {
    expect(retryDelayMs({ 'x-ratelimit-reset': '12' }, now)).toBeUndefined();
    expect(retryDelayMs({}, now)).toBeUndefined();
  });
});

describe('userNameQuery', () => {
  it('sends an ordinary name as a plain filter value', () => {
    expect(userNameQuery('jsmith')).toEqual({ kind: 'filter', value: 'jsmith' });
  });

  it('never puts a caret into query text', () => {
    expect(userNameQuery('ab^ORuser_name!=x^NQc')).toEqual({
      kind: 'scan',
      condition: 'user_nameLIKEORuser_name!=x',
    });
  });

  it('searches a name with spaces around it without the spaces', () => {
    expect(userNameQuery(' jsmith ')).toEqual({ kind: 'scan', condition: 'user_nameLIKEjsmith' });
  });
});

describe('sameUserName', () => {
  it('compares without regard to case or surrounding spaces', () => {
    expect(sameUserName(' JSmith', 'jsmith ')).toBe(true);
    expect(sameUserName('jsmith', 'j smith')).toBe(false);
  });
});
