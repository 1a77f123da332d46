import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attribute, Change, Client } from 'ldapts';
import { directoryKindsSchema } from './directory-kinds-schema.js';
import { freePort, terminate } from './processes.js';
import { initialLdif, slapdConfig, sshaHash } from './slapd-config.js';
import { launch, loadEntries, SlapdError, type Ports } from './slapd-process.js';

export { SlapdError } from './slapd-process.js';

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
  /** Seconds after which slapd closes a connection that sent nothing (`idletimeout`); none when unset. */
  idleTimeout?: number;
  /** Loads a schema with the attributes of Active Directory, 389 DS and PingDirectory (see directory-kinds-schema). */
  directoryKinds?: boolean;
  /** Loads slapo-refint for member and uniqueMember, so renames and deletions update groups. */
  referentialIntegrity?: boolean;
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
  const kindsSchemaFile = options.directoryKinds ? join(configDir, 'directory-kinds.schema') : undefined;
  if (kindsSchemaFile) await writeFile(kindsSchemaFile, directoryKindsSchema);
  await writeFile(
    configFile,
    slapdConfig({ ...server, configDir, dataDir, options: { ...options, kindsSchemaFile } }),
  );
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
