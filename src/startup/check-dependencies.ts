import { Connection } from '@temporalio/client';
import type { Config } from '../config/load.js';
import type { Client } from 'ldapts';
import { closeQuietly, openDirectoryConnection } from '../directory/connection.js';
import { ServiceNowClient } from '../servicenow/client.js';
import { durationMs } from '../servicenow/duration.js';
import { probeAddress } from './address-probe.js';
import { describeMappedAttributeProblems, findMappedAttributeProblems } from './mapped-attributes.js';
import { directoryReason, serviceNowReason, timedOut, type FailureReason } from './failure-reason.js';

/** Which outside system a start-up check found wanting. */
export type Dependency = 'directory' | 'servicenow' | 'temporal';

/** How long Temporal has to accept a connection at start. */
const temporalConnectTimeoutMs = 5000;

/**
 * A system the product needs could not be used at start. The message names the system, where it
 * was looked for and how it failed (`reason.kind`: refused, timeout, dns, credentials, tls, …).
 */
export class DependencyError extends Error {
  override readonly name = 'DependencyError';

  constructor(
    readonly dependency: Dependency,
    readonly endpoint: string,
    readonly reason: FailureReason,
    options: { cause: unknown },
  ) {
    super(`${label[dependency]} ${endpoint}: ${reason.text}`, options);
  }
}

const label: Record<Dependency, string> = {
  directory: 'directory',
  servicenow: 'ServiceNow',
  temporal: 'Temporal',
};

/** Every failed check, one per system, in the order directory, ServiceNow, Temporal. */
export class DependenciesUnavailableError extends Error {
  override readonly name = 'DependenciesUnavailableError';

  constructor(readonly failures: readonly DependencyError[]) {
    const lines = failures.map((failure) => failure.message);
    super(lines.length === 1 ? `cannot start: ${lines[0]}` : `cannot start:\n  ${lines.join('\n  ')}`);
  }
}

/**
 * Connects to the directory (binds, and compares the mapped attributes with its schema), to
 * ServiceNow (one authenticated read of the integration account, with the mapped fields) and to
 * Temporal (and its namespace), all at once, so an operator learns at start, in one line per
 * system, what is wrong. Throws a DependenciesUnavailableError; messages hold no secrets.
 */
export async function checkDependencies(config: Config): Promise<void> {
  const results = await Promise.allSettled([
    checkDirectory(config),
    checkServiceNow(config),
    checkTemporal(config),
  ]);
  const failures = results.flatMap((result) =>
    result.status === 'rejected' ? [result.reason as DependencyError] : [],
  );
  if (failures.length > 0) throw new DependenciesUnavailableError(failures);
}

async function checkDirectory(config: Config): Promise<void> {
  const { url, timeout, bindDn } = config.directory;
  const endpoint = url.replace(/\/$/, '');
  let client: Client;
  try {
    client = await openDirectoryConnection(config.directory);
  } catch (error) {
    const reason = directoryReason(error, durationMs(timeout), bindDn);
    throw new DependencyError('directory', endpoint, reason, { cause: error });
  }
  try {
    // A misspelt attribute is on no entry, so the first reconcile would clear its field everywhere.
    const problems = (await findMappedAttributeProblems(client, config.mapping)) ?? [];
    if (problems.length > 0) {
      const reason = { kind: 'mapping', text: describeMappedAttributeProblems(problems) } as const;
      throw new DependencyError('directory', endpoint, reason, { cause: undefined });
    }
  } finally {
    await closeQuietly(client);
  }
}

async function checkServiceNow(config: Config): Promise<void> {
  const { instanceUrl, auth, timeout } = config.servicenow;
  try {
    // Reading the mapped fields of one account finds a misspelt field before any reconcile: the
    // integration account's own, or, when its ACLs hide it, the first account it may read.
    const mappedFields = Object.keys(config.mapping.fields);
    const own = await new ServiceNowClient(config.servicenow).findUsersByUserName(
      auth.username,
      mappedFields,
    );
    if (own.length === 0) await readFirstAccount(config, mappedFields);
  } catch (error) {
    const reason = serviceNowReason(error, durationMs(timeout));
    throw new DependencyError('servicenow', instanceUrl, reason, { cause: error });
  }
}

/** One page of one account, with `fields`: a field that sys_user does not return fails here. */
async function readFirstAccount(config: Config, fields: readonly string[]): Promise<void> {
  const pages = new ServiceNowClient({ ...config.servicenow, pageSize: 1 }).listUsers(fields);
  await pages.next();
  await pages.return(undefined);
}

async function checkTemporal(config: Config): Promise<void> {
  const { address, namespace } = config.temporal;
  let connection: Connection;
  try {
    connection = await Connection.connect({ address, connectTimeout: temporalConnectTimeoutMs });
  } catch (error) {
    // The SDK says "Failed to connect before the deadline" whatever happened: find out what did.
    const reason = (await probeAddress(address, temporalConnectTimeoutMs)) ?? temporalReason(error);
    throw new DependencyError('temporal', address, reason, { cause: error });
  }
  try {
    await connection.workflowService.describeNamespace({ namespace });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const reason: FailureReason = /NOT_FOUND/.test(detail)
      ? { kind: 'namespace', text: `namespace "${namespace}" not found` }
      : { kind: 'other', text: `namespace "${namespace}" is not usable: ${detail}` };
    throw new DependencyError('temporal', address, reason, { cause: error });
  } finally {
    await connection.close();
  }
}

/** A TCP connection opened but Temporal did not answer on it: a silent or foreign server. */
function temporalReason(error: unknown): FailureReason {
  const detail = error instanceof Error ? error.message : String(error);
  if (/deadline/i.test(detail)) return timedOut(temporalConnectTimeoutMs);
  return { kind: 'other', text: detail.split('\n')[0]! };
}
