import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Attribute, Change, Client } from 'ldapts';
import { freePort, terminate } from './processes.js';

/** How to start a throwaway OpenLDAP server. */
export interface SlapdOptions {
  /** Port for ldap://127.0.0.1; a free high port when unset. */
  port?: number;
  /** Naming context; its first RDN must be dc=, o= or ou=. Default `dc=example,dc=com`. */
  suffix?: string;
  /**
   * Initial entries, loaded with `slapadd -q` before the server starts. The suffix, ou=people,
   * ou=groups and the reader account are added when the LDIF does not define them.
   */
  ldif?: string;
  /** Database directory; a new temp dir removed by stop() when unset. Reused as is if it holds a database. */
  dataDir?: string;
  /** Server-wide size limit for every bind except the rootdn. Default 'unlimited' (OpenLDAP's own default is 500). */
  sizeLimit?: number | 'unlimited';
  /**
   * Loads slapo-retcode with in-directory error objects: an entry with objectClass errAuxObject and
   * errCode N makes a search that reaches it end with result code N (or a dropped connection with
   * errDisconnect TRUE). For tests of reads cut short.
   */
  faultInjection?: boolean;
  /** slapd.conf `access` lines placed before the default rules (the reader reads all, writes nothing). */
  acl?: string[];
  /** PEM certificate and key: the server then offers StartTLS and also listens on ldaps://127.0.0.1. */
  tls?: { certFile: string; keyFile: string };
}

/** A slapd started by startSlapd, with the accounts and containers tests and the demo use. */
export interface RunningSlapd {
  url: string;
  port: number;
  /** ldaps://127.0.0.1:<port>, when started with `tls`. */
  ldapsUrl?: string;
  suffix: string;
  /** The rootdn: no limits, no access control. For fixtures only. */
  adminDn: string;
  adminPassword: string;
  /** An ordinary account that may read everything and write nothing, subject to `sizeLimit`. */
  readerDn: string;
  readerPassword: string;
  peopleDn: string;
  groupsDn: string;
  /** SIGTERM, wait for the exit, remove the temp dirs. Safe to call twice. */
  stop(): Promise<void>;
  /** SIGKILL, for fault tests; the data stays until stop(). */
  kill(): Promise<void>;
  /** Starts the server again on the same port with the same data (after kill() or while running). */
  restart(): Promise<void>;
}

/** slapd could not be prepared or did not start; `output` holds what the tool printed. */
export class SlapdError extends Error {
  override readonly name = 'SlapdError';

  constructor(
    readonly code: 'load-failed' | 'start-failed',
    message: string,
    readonly output: string,
    options?: { cause?: unknown },
  ) {
    super(`${message}\n${output}`, options);
  }
}

interface Ports {
  ldap: number;
  ldaps: number | undefined;
}

const schemas = ['core', 'cosine', 'inetorgperson', 'nis'];
const running = new Set<ChildProcess>();
const run = promisify(execFile);

/** Starts a real slapd on 127.0.0.1 with a throwaway configuration and waits until it answers. */
export async function startSlapd(options: SlapdOptions = {}): Promise<RunningSlapd> {
  const suffix = options.suffix ?? 'dc=example,dc=com';
  const configDir = await mkdtemp(join(tmpdir(), 'slapd-'));
  const dataDir = options.dataDir ?? join(configDir, 'data');
  const server = {
    suffix,
    adminDn: `cn=admin,${suffix}`,
    adminPassword: randomBytes(12).toString('hex'),
    readerDn: `cn=reader,${suffix}`,
    readerPassword: randomBytes(12).toString('hex'),
    peopleDn: `ou=people,${suffix}`,
    groupsDn: `ou=groups,${suffix}`,
  };

  const configFile = join(configDir, 'slapd.conf');
  await mkdir(dataDir, { recursive: true });
  await writeFile(configFile, slapdConfig({ ...server, configDir, dataDir, options }));
  const reused = existsSync(join(dataDir, 'data.mdb'));
  try {
    if (!reused) {
      await loadEntries(configFile, join(configDir, 'initial.ldif'), initialLdif(server, options.ldif ?? ''));
    }
  } catch (error) {
    await rm(configDir, { recursive: true, force: true });
    throw error;
  }

  const choosePorts = async (): Promise<Ports> => ({
    ldap: options.port ?? (await freePort()),
    ldaps: options.tls ? await freePort() : undefined,
  });
  let ports = await choosePorts();
  let child: ChildProcess | undefined;
  for (let attempt = 1; child === undefined; attempt += 1) {
    try {
      child = await launch(configFile, ports, server);
    } catch (error) {
      // Another process may take the free port between our probe and slapd's bind: try another.
      const portTaken = error instanceof SlapdError && error.output.includes('errno=98');
      if (!portTaken || options.port !== undefined || attempt >= 5) {
        await rm(configDir, { recursive: true, force: true });
        throw error;
      }
      ports = await choosePorts();
    }
  }

  // A reused database holds the reader's password from its first run: give it this run's.
  if (reused) await setPassword(`ldap://127.0.0.1:${ports.ldap}`, server);

  let stopped = false;
  return {
    ...server,
    url: `ldap://127.0.0.1:${ports.ldap}`,
    port: ports.ldap,
    ldapsUrl: ports.ldaps === undefined ? undefined : `ldaps://127.0.0.1:${ports.ldaps}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (child) await terminate(child, 'SIGTERM');
      await rm(configDir, { recursive: true, force: true });
      if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
    },
    async kill() {
      if (child) await terminate(child, 'SIGKILL');
    },
    async restart() {
      if (child) await terminate(child, 'SIGTERM');
      child = await launch(configFile, ports, server);
    },
  };
}

function slapdConfig(
  c: { suffix: string; adminDn: string; adminPassword: string; readerDn: string } & {
    configDir: string;
    dataDir: string;
    options: SlapdOptions;
  },
): string {
  const faults = c.options.faultInjection === true;
  return [
    ...schemas.map((name) => `include /etc/ldap/schema/${name}.schema`),
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    'moduleload ppolicy',
    ...(faults ? ['moduleload retcode'] : []),
    `pidfile ${join(c.configDir, 'slapd.pid')}`,
    `argsfile ${join(c.configDir, 'slapd.args')}`,
    `sizelimit ${c.options.sizeLimit ?? 'unlimited'}`,
    ...(c.options.tls
      ? [`TLSCertificateFile ${c.options.tls.certFile}`, `TLSCertificateKeyFile ${c.options.tls.keyFile}`]
      : []),
    'database mdb',
    `suffix "${c.suffix}"`,
    `rootdn "${c.adminDn}"`,
    `rootpw ${sshaHash(c.adminPassword)}`,
    `directory ${c.dataDir}`,
    // A sparse file: room for a few hundred thousand entries without using the disk up front.
    'maxsize 8589934592',
    'index objectClass,uid,memberUid,member,uniqueMember,entryUUID eq',
    'overlay ppolicy',
    ...(faults ? ['overlay retcode', `retcode-parent "ou=retcodes,${c.suffix}"`, 'retcode-indir'] : []),
    ...(c.options.acl ?? []),
    'access to attrs=userPassword by self write by anonymous auth by * none',
    `access to * by dn.exact="${c.readerDn}" read by * none`,
    '',
  ].join('\n');
}

/** The base entries the LDIF does not define (before it), the LDIF, then the reader account. */
function initialLdif(
  s: { suffix: string; peopleDn: string; groupsDn: string; readerDn: string; readerPassword: string },
  ldif: string,
): string {
  const defines = (dn: string) => new RegExp(`^dn:\\s*${escapeRegExp(dn)}\\s*$`, 'im').test(ldif);
  const entry = (dn: string, lines: string[]) => {
    const [attribute = '', value = ''] = (dn.split(',')[0] ?? '').split('=');
    return defines(dn) ? '' : [`dn: ${dn}`, ...lines, `${attribute.trim()}: ${value.trim()}`].join('\n');
  };
  const reader = ['objectClass: applicationProcess', 'objectClass: simpleSecurityObject'];

  return [
    entry(s.suffix, suffixClasses(s.suffix)),
    entry(s.peopleDn, ['objectClass: organizationalUnit']),
    entry(s.groupsDn, ['objectClass: organizationalUnit']),
    ldif.trim(),
    entry(s.readerDn, [...reader, `userPassword: ${sshaHash(s.readerPassword)}`]),
  ]
    .filter((block) => block !== '')
    .join('\n\n')
    .concat('\n');
}

function suffixClasses(suffix: string): string[] {
  const [attribute = '', value = ''] = (suffix.split(',')[0] ?? '').split('=');
  switch (attribute.trim().toLowerCase()) {
    case 'dc':
      return ['objectClass: dcObject', 'objectClass: organization', `o: ${value.trim()}`];
    case 'o':
      return ['objectClass: organization'];
    case 'ou':
      return ['objectClass: organizationalUnit'];
    default:
      throw new Error(`slapd suffix ${suffix} must start with dc=, o= or ou=`);
  }
}

async function loadEntries(configFile: string, ldifFile: string, ldif: string): Promise<void> {
  await writeFile(ldifFile, ldif);
  try {
    await run(tool('slapadd'), ['-q', '-f', configFile, '-l', ldifFile], { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stderr = '', stdout = '' } = error as { stderr?: string; stdout?: string };
    throw new SlapdError('load-failed', 'slapadd could not load the initial entries', stdout + stderr, {
      cause: error,
    });
  } finally {
    await rm(ldifFile, { force: true });
  }
}

/** Spawns slapd in the foreground and resolves once an admin bind succeeds. */
async function launch(
  configFile: string,
  ports: Ports,
  s: { adminDn: string; adminPassword: string },
): Promise<ChildProcess> {
  const urls = [`ldap://127.0.0.1:${ports.ldap}/`];
  if (ports.ldaps !== undefined) urls.push(`ldaps://127.0.0.1:${ports.ldaps}/`);
  const child = spawn(tool('slapd'), ['-f', configFile, '-h', urls.join(' '), '-d', 'none'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new SlapdError('start-failed', `slapd exited (${child.exitCode ?? child.signalCode})`, output);
    }
    if (await answers(`ldap://127.0.0.1:${ports.ldap}`, s.adminDn, s.adminPassword)) return child;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await terminate(child, 'SIGKILL');
  throw new SlapdError('start-failed', `slapd did not answer on port ${ports.ldap} within 15 s`, output);
}

async function setPassword(
  url: string,
  s: { adminDn: string; adminPassword: string; readerDn: string; readerPassword: string },
): Promise<void> {
  const client = new Client({ url });
  try {
    await client.bind(s.adminDn, s.adminPassword);
    const modification = new Attribute({ type: 'userPassword', values: [sshaHash(s.readerPassword)] });
    await client.modify(s.readerDn, new Change({ operation: 'replace', modification }));
  } finally {
    await client.unbind();
  }
}

async function answers(url: string, dn: string, password: string): Promise<boolean> {
  const client = new Client({ url, connectTimeout: 1000, timeout: 1000 });
  try {
    await client.bind(dn, password);
    return true;
  } catch {
    return false;
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/** Debian installs the server tools in /usr/sbin, which is not on every user's PATH. */
function tool(name: 'slapd' | 'slapadd'): string {
  const sbin = `/usr/sbin/${name}`;
  return existsSync(sbin) ? sbin : name;
}

function sshaHash(password: string): string {
  const salt = randomBytes(8);
  const digest = createHash('sha1').update(password).update(salt).digest();
  return `{SSHA}${Buffer.concat([digest, salt]).toString('base64')}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A test process that ends without stop() must not leave servers behind. The exit hook is removed
 * when the last server exits, so test runners that load this module per file do not pile them up.
 */
function track(child: ChildProcess): void {
  if (running.size === 0) process.on('exit', killRunning);
  running.add(child);
  child.once('exit', () => {
    running.delete(child);
    if (running.size === 0) process.off('exit', killRunning);
  });
}

function killRunning(): void {
  for (const child of running) child.kill('SIGKILL');
}
