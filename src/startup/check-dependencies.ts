import { Connection } from '@temporalio/client';
import type { Config } from '../config/load.js';
import { closeQuietly, openDirectoryConnection } from '../directory/connection.js';
import { ServiceNowClient } from '../servicenow/client.js';

/** Which outside system a start-up check found wanting. */
export type Dependency = 'directory' | 'servicenow' | 'temporal';

/** A system the product needs could not be used at start: names it and says how it failed. */
export class DependencyError extends Error {
  override readonly name = 'DependencyError';

  constructor(
    readonly dependency: Dependency,
    message: string,
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

/** Every failed check, one per system, in the order directory, ServiceNow, Temporal. */
export class DependenciesUnavailableError extends Error {
  override readonly name = 'DependenciesUnavailableError';

  constructor(readonly failures: readonly DependencyError[]) {
    const lines = failures.map((failure) => failure.message);
    super(lines.length === 1 ? `cannot start: ${lines[0]}` : `cannot start:\n  ${lines.join('\n  ')}`);
  }
}

/**
 * Connects to the directory (and binds), to ServiceNow (one authenticated read of the integration
 * account) and to Temporal (and its namespace), all at once, so an operator learns at start, in one
 * line per system, what is wrong. Throws a DependenciesUnavailableError; messages hold no secrets.
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
  try {
    await closeQuietly(await openDirectoryConnection(config.directory));
  } catch (error) {
    throw failure('directory', error, '');
  }
}

async function checkServiceNow(config: Config): Promise<void> {
  const { instanceUrl, auth } = config.servicenow;
  try {
    await new ServiceNowClient(config.servicenow).findUsersByUserName(auth.username, []);
  } catch (error) {
    throw failure('servicenow', error, `ServiceNow ${instanceUrl}: `);
  }
}

async function checkTemporal(config: Config): Promise<void> {
  const { address, namespace } = config.temporal;
  let connection: Connection;
  try {
    connection = await Connection.connect({ address, connectTimeout: '5s' });
  } catch (error) {
    throw failure('temporal', error, `Temporal ${address}: cannot connect: `);
  }
  try {
    await connection.workflowService.describeNamespace({ namespace });
  } catch (error) {
    throw failure('temporal', error, `Temporal ${address}: namespace "${namespace}" is not usable: `);
  } finally {
    await connection.close();
  }
}

function failure(dependency: Dependency, error: unknown, prefix: string): DependencyError {
  const detail = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  return new DependencyError(dependency, `${prefix}${detail}`, { cause: error });
}
