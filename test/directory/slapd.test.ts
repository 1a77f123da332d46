import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ldapts';
import { startSlapd, SlapdError, type RunningSlapd } from '../../src/dev/slapd.js';
import { addPerson, asAdmin } from '../helpers/directory.js';

const people = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    [
      `dn: uid=p${i},ou=people,dc=example,dc=com`,
      'objectClass: inetOrgPerson',
      `uid: p${i}`,
      'cn: P',
      'sn: P',
    ].join('\n'),
  ).join('\n\n');

async function countAs(slapd: RunningSlapd, dn: string, password: string): Promise<number> {
  const client = new Client({ url: slapd.url });
  try {
    await client.bind(dn, password);
    const { searchEntries } = await client.search(slapd.peopleDn, { filter: '(objectClass=inetOrgPerson)' });
    return searchEntries.length;
  } finally {
    await client.unbind();
  }
}

describe('a throwaway slapd', () => {
  let slapd: RunningSlapd;
  beforeAll(async () => {
    slapd = await startSlapd({ ldif: people(8), sizeLimit: 5 });
  });
  afterAll(() => slapd.stop());

  test('loads the initial entries and lets the reader read them, within the size limit', async () => {
    await expect(countAs(slapd, slapd.readerDn, slapd.readerPassword)).rejects.toMatchObject({ code: 4 });
    await expect(countAs(slapd, slapd.adminDn, slapd.adminPassword)).resolves.toBe(8);
  });

  test('does not let the reader write anything', async () => {
    const client = new Client({ url: slapd.url });
    await client.bind(slapd.readerDn, slapd.readerPassword);
    await expect(client.del(`uid=p1,${slapd.peopleDn}`)).rejects.toMatchObject({ code: 50 });
    await client.unbind();
  });

  test('keeps its data across a kill and a restart on the same port', async () => {
    await addPerson(slapd, { uid: 'survivor', givenName: 'Sur', sn: 'Vivor' });
    await slapd.kill();
    await expect(countAs(slapd, slapd.adminDn, slapd.adminPassword)).rejects.toThrow();

    await slapd.restart();
    await expect(countAs(slapd, slapd.adminDn, slapd.adminPassword)).resolves.toBe(9);
  });

  test('offers entryUUID and the ppolicy lock attribute', async () => {
    await addPerson(slapd, {
      uid: 'locked',
      givenName: 'Lo',
      sn: 'Cked',
      pwdAccountLockedTime: '000001010000Z',
    });
    const entry = await asAdmin(slapd, async (client) => {
      const attributes = ['entryUUID', 'pwdAccountLockedTime'];
      const { searchEntries } = await client.search(`uid=locked,${slapd.peopleDn}`, {
        scope: 'base',
        attributes,
      });
      return searchEntries[0];
    });
    expect(entry?.pwdAccountLockedTime).toBe('000001010000Z');
    expect(entry?.entryUUID).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('starting slapd', () => {
  test("reuses a data directory with its entries and this run's passwords", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'slapd-data-'));
    try {
      const first = await startSlapd({ dataDir, ldif: people(3) });
      await first.stop();
      const second = await startSlapd({ dataDir });
      await expect(countAs(second, second.readerDn, second.readerPassword)).resolves.toBe(3);
      await second.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test('fails with the output of slapadd when the initial entries are invalid', async () => {
    const error = await startSlapd({
      ldif: 'dn: uid=x,ou=nowhere,dc=example,dc=com\nobjectClass: nonsense\n',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlapdError);
    expect(error).toMatchObject({ code: 'load-failed' });
    expect((error as Error).message).toMatch(/nonsense/);
  });

  test('fails with the output of slapd when the port is taken', async () => {
    const first = await startSlapd();
    try {
      const error = await startSlapd({ port: first.port }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'start-failed' });
      expect((error as Error).message).toMatch(/Address already in use/);
    } finally {
      await first.stop();
    }
  });
});
