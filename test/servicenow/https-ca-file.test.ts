import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { clientFor, emulatorFor, mapped, person, rejectionOf, stopEmulators } from './fixture.js';

let dir: string;
let emulator: RunningEmulator;
let tlsFront: Server;
let httpsUrl: string;

/** A private CA and a certificate it signed for 127.0.0.1, made with the openssl CLI. */
function makeCertificates(): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=Test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
  );
  openssl('req', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'leaf.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'leaf.pem',
    '-days',
    '1',
    '-extfile',
    'leaf.ext',
  );
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'servicenow-tls-'));
  makeCertificates();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(async () => {
  emulator = await emulatorFor({ records: [person({ user_name: 'over.tls' })] });
  // TLS in front of the emulator, as a load balancer terminates it in front of an instance.
  tlsFront = createServer(
    { key: readFileSync(join(dir, 'leaf.key')), cert: readFileSync(join(dir, 'leaf.pem')) },
    (socket) => socket.pipe(connect(emulator.port, '127.0.0.1')).pipe(socket),
  );
  await new Promise<void>((resolve) => tlsFront.listen(0, '127.0.0.1', resolve));
  httpsUrl = `https://127.0.0.1:${(tlsFront.address() as { port: number }).port}`;
});
afterEach(async () => {
  // Closing the emulator ends the piped connections, which lets the TLS front close at once.
  await stopEmulators();
  await new Promise((resolve) => tlsFront.close(resolve));
});

describe('HTTPS', () => {
  it('trusts an instance certificate signed by the CA in caFile', async () => {
    const client = clientFor({ url: httpsUrl }, { caFile: join(dir, 'ca.pem') });

    const found = await client.findUsersByUserName('over.tls', mapped);

    expect(found.map((user) => user.userName)).toEqual(['over.tls']);
  });

  it('refuses the same certificate without caFile, naming the reason', async () => {
    const error = await rejectionOf(clientFor({ url: httpsUrl }).findUsersByUserName('over.tls', mapped));

    expect(error).toMatchObject({ type: 'ServiceNowNetwork' });
    expect((error as Error).message).toMatch(/CERT|SIGNATURE/);
  });

  it('reaches the same instance without caFile only when verification is turned off explicitly', async () => {
    const client = clientFor({ url: httpsUrl }, { verifyCertificate: false });

    const found = await client.findUsersByUserName('over.tls', mapped);

    expect(found.map((user) => user.userName)).toEqual(['over.tls']);
  });

  it('fails at start when caFile cannot be read, naming the setting', () => {
    expect(() => clientFor({ url: httpsUrl }, { caFile: join(dir, 'missing.pem') })).toThrow(
      /servicenow.caFile: cannot read .*missing.pem \(ENOENT\)/,
    );
  });
});
