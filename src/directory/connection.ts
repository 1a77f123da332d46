import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { rootCertificates, type ConnectionOptions } from 'node:tls';
import { Client } from 'ldapts';
import type { Logger } from '../log.js';
import { DirectoryError, toDirectoryError, type ReadStep } from './errors.js';
import type { DirectorySettings } from './types.js';

/**
 * Connects with the configured TLS options (ldaps://, or StartTLS on ldap://; certificates verified
 * unless turned off) and binds with the configured DN and password. Throws a DirectoryError:
 * 'unreachable', 'tls' or 'bind-failed'. The caller unbinds the returned client.
 */
export async function openDirectoryConnection(settings: DirectorySettings, log?: Logger): Promise<Client> {
  const where = describeServer(settings);
  const url = new URL(settings.url);
  const timeout = durationMs(settings.timeout);
  const tlsOptions = await tlsOptionsFor(settings, url.hostname, where);
  if (!settings.tls.verifyCertificate) {
    log?.warn({ url: settings.url }, 'directory server certificate is not verified');
  }

  const client = new Client({
    url: settings.url,
    timeout,
    connectTimeout: timeout,
    tlsOptions: url.protocol === 'ldaps:' ? tlsOptions : undefined,
  });
  let step: ReadStep = 'connect';
  try {
    if (settings.tls.startTls && url.protocol === 'ldap:') await client.startTLS(tlsOptions);
    step = 'bind';
    const password = settings.bindPassword.reveal();
    // An empty password makes a simple bind anonymous on most servers: refuse it rather than read as nobody.
    if (password === '') throw new DirectoryError('bind-failed', `${where}: the bind password is empty`);
    await client.bind(settings.bindDn, password);
    return client;
  } catch (error) {
    await closeQuietly(client);
    const failure = toDirectoryError(
      error,
      step,
      `${where} (${step === 'bind' ? `bind as ${settings.bindDn}` : 'StartTLS'})`,
    );
    throw failure;
  }
}

/** Unbinds and closes, ignoring errors: used after a failure, when the connection may be gone. */
export async function closeQuietly(client: Client): Promise<void> {
  await client.unbind().catch(() => undefined);
}

/** How messages name the server: its URL, which holds no credentials. */
export function describeServer(settings: DirectorySettings): string {
  return `directory ${settings.url.replace(/\/$/, '')}`;
}

async function tlsOptionsFor(
  settings: DirectorySettings,
  host: string,
  where: string,
): Promise<ConnectionOptions> {
  const options: ConnectionOptions = {
    rejectUnauthorized: settings.tls.verifyCertificate,
    // StartTLS hands ldapts an existing socket, so the name to check the certificate against is given here.
    host,
    servername: isIP(host) ? undefined : host,
  };
  if (settings.tls.caFile === undefined) return options;

  try {
    const ca = await readFile(settings.tls.caFile, 'utf8');
    // `ca` replaces Node's trusted roots: keep them, as the setting promises "in addition".
    return { ...options, ca: [...rootCertificates, ca] };
  } catch (error) {
    throw new DirectoryError('tls', `${where}: cannot read the CA file ${settings.tls.caFile}`, {
      cause: error,
    });
  }
}

const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** '30s' to 30000. The config schema has already checked the form. */
function durationMs(duration: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(duration);
  if (!match) throw new Error(`not a duration: ${duration}`);
  return Number(match[1]) * (durationUnits[match[2]!] ?? 1);
}
