import { Client } from 'ldapts';
import { pino } from 'pino';
import { startSlapd, type RunningSlapd } from '../../src/dev/slapd.js';
import { DirectoryError } from '../../src/directory/errors.js';
import { openDirectoryConnection } from '../../src/directory/connection.js';
import { readDirectoryScope, readScopeWith } from '../../src/directory/read-scope.js';
import { scopeReading } from '../../src/directory/scope-reading.js';
import type { DirectorySettings } from '../../src/directory/types.js';
import { addOrganizationalUnit, addPerson, directorySettings } from '../helpers/directory.js';

const query = { userNameAttribute: 'uid', attributes: ['cn'] };
const read = (slapd: RunningSlapd, overrides: Partial<DirectorySettings> = {}, log?: pino.Logger) =>
  readDirectoryScope(directorySettings(slapd, overrides), query, log);

/** The LDIF of `count` people under `parentDn`, for slapadd. */
function people(parentDn: string, count: number): string {
  return Array.from({ length: count }, (_, i) =>
    [`dn: uid=p${i},${parentDn}`, 'objectClass: inetOrgPerson', `uid: p${i}`, `cn: P ${i}`, 'sn: P'].join(
      '\n',
    ),
  ).join('\n\n');
}

/** Adds ten people to a new OU, the seventh of which turns into the error `fault` when a search reaches it. */
async function branchWithFault(
  slapd: RunningSlapd,
  ou: string,
  fault: Record<string, string>,
): Promise<string> {
  const parent = await addOrganizationalUnit(slapd, ou);
  for (let i = 0; i < 10; i++) {
    const extra = i === 6 ? { objectClass: ['inetOrgPerson', 'errAuxObject'], ...fault } : {};
    await addPerson(slapd, { uid: `${ou}${i}`, givenName: 'P', sn: `${i}`, ...extra }, parent);
  }
  return parent;
}

describe('a read cut short by the server', () => {
  let limited: RunningSlapd;
  let faulty: RunningSlapd;
  beforeAll(async () => {
    limited = await startSlapd({ sizeLimit: 5, ldif: people('ou=people,dc=example,dc=com', 20) });
    faulty = await startSlapd({ faultInjection: true });
  });
  afterAll(async () => {
    await limited.stop();
    await faulty.stop();
  });

  test('throws size-limit when the size limit ends a paged search after some pages', async () => {
    await expect(read(limited, { pageSize: 2 })).rejects.toMatchObject({ code: 'size-limit', resultCode: 4 });
  });

  test('throws size-limit when the size limit ends the first page', async () => {
    await expect(read(limited, { pageSize: 500 })).rejects.toMatchObject({ code: 'size-limit' });
  });

  test("would come back from ldapts' own paged search as a success with part of the directory", async () => {
    // The reason pagedSearch does its own paging: a client-side size limit above the server's
    // makes ldapts 8.2.0 take the server's sizeLimitExceeded for the end of the result.
    const client = new Client({ url: limited.url });
    await client.bind(limited.readerDn, limited.readerPassword);
    const { searchEntries } = await client.search(limited.peopleDn, {
      paged: { pageSize: 2 },
      sizeLimit: 100,
    });
    await client.unbind();
    expect(searchEntries).toHaveLength(5);
  });

  test('throws time-limit when the server stops the search at its time limit after some pages', async () => {
    const baseDn = await branchWithFault(faulty, 'slow', { errCode: '3', errOp: 'search' });
    await expect(read(faulty, { baseDn, pageSize: 2 })).rejects.toMatchObject({
      code: 'time-limit',
      resultCode: 3,
    });
  });

  test('throws timeout when the server does not answer within the configured time', async () => {
    const baseDn = await branchWithFault(faulty, 'stuck', {
      errCode: '0',
      errOp: 'search',
      errSleepTime: '2',
    });
    await expect(read(faulty, { baseDn, timeout: '1s' })).rejects.toMatchObject({ code: 'timeout' });
  });
});

describe('a read whose server goes away', () => {
  let slapd: RunningSlapd;
  beforeAll(async () => {
    slapd = await startSlapd({ ldif: people('ou=people,dc=example,dc=com', 1000) });
  });
  afterAll(() => slapd.stop());

  test('throws incomplete-read, not the pages it had, when the server dies between pages', async () => {
    const killAfterSecondPage = pino(
      { level: 'debug' },
      {
        write(line: string) {
          const { msg, page } = JSON.parse(line) as { msg: string; page?: number };
          if (msg === 'directory page read' && page === 2) void slapd.kill();
        },
      },
    );
    const error = await read(slapd, { pageSize: 100 }, killAfterSecondPage).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DirectoryError);
    expect(error).toMatchObject({ code: 'incomplete-read' });
    // The third page was asked for with the second's cookie, so it may have arrived before the
    // server died: the page named is the first that did not.
    const failedPage = Number(/page (\d+)\)/.exec((error as Error).message)?.[1]);
    expect([3, 4]).toContain(failedPage);
  });

  test('throws unreachable while the server is down, and reads everything once it is back', async () => {
    await expect(read(slapd)).rejects.toMatchObject({ code: 'unreachable' });
    await slapd.restart();
    await expect(read(slapd)).resolves.toMatchObject({ entriesRead: 1000 });
  });
});

describe('a read whose connection drops in the middle of a page', () => {
  let slapd: RunningSlapd;
  beforeAll(async () => {
    slapd = await startSlapd({ faultInjection: true });
  });
  afterAll(() => slapd.stop());

  test('throws incomplete-read', async () => {
    const baseDn = await branchWithFault(slapd, 'stalls', {
      errCode: '0',
      errOp: 'search',
      errSleepTime: '3',
    });
    const reading = read(slapd, { baseDn, pageSize: 10 }).catch((e: unknown) => e);
    // The server sends six entries of the page, then sleeps on the seventh: kill it then.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await slapd.kill();
    expect(await reading).toMatchObject({ code: 'incomplete-read' });
  });
});

describe('a read that cannot start', () => {
  let slapd: RunningSlapd;
  beforeAll(async () => {
    slapd = await startSlapd();
  });
  afterAll(() => slapd.stop());

  test('throws base-not-found when the base DN does not exist', async () => {
    await expect(read(slapd, { baseDn: `ou=nowhere,${slapd.suffix}` })).rejects.toMatchObject({
      code: 'base-not-found',
      resultCode: 32,
    });
  });

  test('throws bind-failed for a wrong password, without the password in the message', async () => {
    const { Secret } = await import('../../src/config/secret.js');
    const bindPassword = new Secret('not-the-password-42', 'test');
    const error = await read(slapd, { bindPassword }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'bind-failed', resultCode: 49 });
    expect(JSON.stringify(error) + String(error)).not.toContain('not-the-password-42');
  });

  test('throws bad-filter for a filter that does not parse, before connecting', async () => {
    await expect(read(slapd, { filter: '(&(uid=a)(' })).rejects.toMatchObject({ code: 'bad-filter' });
  });
});

describe('a connection the server closed while it sat idle', () => {
  let slapd: RunningSlapd;
  beforeAll(async () => {
    // Anonymous may read people here, as on many servers: a silent anonymous reconnect would read something.
    slapd = await startSlapd({
      idleTimeout: 1,
      ldif: people('ou=people,dc=example,dc=com', 3),
      acl: ['access to dn.subtree="ou=people,dc=example,dc=com" attrs=entry,uid,cn,objectClass by * read'],
    });
  });
  afterAll(() => slapd.stop());

  test("is reconnected by ldapts' own search without a bind, so it reads as anonymous", async () => {
    const client = new Client({ url: slapd.url });
    await client.bind(slapd.readerDn, slapd.readerPassword);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const { searchEntries } = await client.search(slapd.peopleDn, { filter: '(uid=p1)', attributes: ['sn'] });
    await client.unbind();
    // The bound reader may read sn ("P"); anonymous finds the entry but not its sn.
    expect(searchEntries).toEqual([{ dn: `uid=p1,${slapd.peopleDn}`, sn: [] }]);
  });

  test('makes the reader throw incomplete-read instead of reading as anonymous', async () => {
    const settings = directorySettings(slapd);
    const client = await openDirectoryConnection(settings);
    await new Promise((resolve) => setTimeout(resolve, 2500));

    const error = await readScopeWith(client, scopeReading(settings, query)).catch((e: unknown) => e);
    await client.unbind().catch(() => undefined);
    expect(error).toMatchObject({
      code: 'incomplete-read',
      message: expect.stringMatching(/no longer bound/),
    });
  });
});
