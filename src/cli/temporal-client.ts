import type { Client, Connection } from '@temporalio/client';
import type { Config } from '../config/load.js';
import { connectClient } from '../temporal/connect.js';

/**
 * Runs `use` with a client of the configured namespace (with the worker's payload codec, so queries
 * and signals read and write what the workflows do) and closes its connection afterwards.
 */
export async function withTemporal<T>(
  config: Config,
  use: (client: Client, connection: Connection) => Promise<T>,
): Promise<T> {
  const client = await connectClient(config);
  // connectClient builds the client on a Connection; the operator service needs it by that type.
  const connection = client.connection as Connection;
  try {
    return await use(client, connection);
  } finally {
    await connection.close();
  }
}
