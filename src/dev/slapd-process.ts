import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { Client } from 'ldapts';
import { terminate } from './processes.js';

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

/** The ports one slapd listens on. */
export interface Ports {
  ldap: number;
  ldaps: number | undefined;
}

const running = new Set<ChildProcess>();
const run = promisify(execFile);

/** Loads LDIF into the (stopped) database with `slapadd -q`. */
export async function loadEntries(configFile: string, ldifFile: string, ldif: string): Promise<void> {
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
export async function launch(
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
