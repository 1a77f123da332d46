import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startSlapd, type RunningSlapd } from '../../src/dev/slapd.js';
import { readDirectoryScope } from '../../src/directory/read-scope.js';
import type { DirectorySettings } from '../../src/directory/types.js';
import { addPerson, directorySettings } from '../helpers/directory.js';

/** A throwaway CA and a server certificate it signed, valid for 127.0.0.1 only. */
function makeCertificates(dir: string): { caFile: string; certFile: string; keyFile: string } {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Test CA');
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'san.ext',
  );
  return { caFile: join(dir, 'ca.pem'), certFile: join(dir, 'server.pem'), keyFile: join(dir, 'server.key') };
}

let dir: string;
let caFile: string;
let slapd: RunningSlapd;
const read = (overrides: Partial<DirectorySettings>, log?: pino.Logger) =>
  readDirectoryScope(directorySettings(slapd, overrides), { userNameAttribute: 'uid', attributes: [] }, log);
const tls = (options: Partial<DirectorySettings['tls']>) => ({
  startTls: false,
  verifyCertificate: true,
  ...options,
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tls-test-'));
  const certificates = makeCertificates(dir);
  caFile = certificates.caFile;
  slapd = await startSlapd({ tls: certificates });
  await addPerson(slapd, { uid: 'secure', givenName: 'Se', sn: 'Cure' });
});
afterAll(async () => {
  await slapd.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a directory over TLS', () => {
  test('is read over ldaps:// when the CA file vouches for the server', async () => {
    const scope = await read({ url: slapd.ldapsUrl, tls: tls({ caFile }) });
    expect(scope.users.map((u) => u.userName)).toEqual(['secure']);
  });

  test('is read after StartTLS on ldap:// when the CA file vouches for the server', async () => {
    const scope = await read({ tls: tls({ startTls: true, caFile }) });
    expect(scope.users.map((u) => u.userName)).toEqual(['secure']);
  });

  test('is refused over ldaps:// when nothing vouches for the certificate', async () => {
    await expect(read({ url: slapd.ldapsUrl })).rejects.toMatchObject({ code: 'tls' });
  });

  test('is refused after StartTLS when the certificate names another host', async () => {
    const url = slapd.url.replace('127.0.0.1', 'localhost');
    const error = await read({ url, tls: tls({ startTls: true, caFile }) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'tls' });
    expect((error as Error).message).toMatch(/localhost/);
  });

  test('is read without verification only when told so, with a warning in the log', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    const scope = await read({ url: slapd.ldapsUrl, tls: tls({ verifyCertificate: false }) }, log);
    expect(scope.users).toHaveLength(1);
    expect(lines.join('')).toContain('directory server certificate is not verified');
  });

  test('fails with the tls code when the CA file cannot be read', async () => {
    const missing = join(dir, 'missing.pem');
    await expect(read({ url: slapd.ldapsUrl, tls: tls({ caFile: missing }) })).rejects.toMatchObject({
      code: 'tls',
    });
  });
});
