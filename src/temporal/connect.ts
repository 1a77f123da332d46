import { Client, Connection } from '@temporalio/client';
import { clientDataConverter } from '../codec/data-converter.js';
import type { Config } from '../config/load.js';

/** Temporal could not be reached; names the address and the reason. */
export class TemporalUnreachableError extends Error {
  override readonly name = 'TemporalUnreachableError';

  constructor(
    readonly address: string,
    options: { cause: unknown },
  ) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(`cannot reach Temporal at ${address}: ${reason}`, options);
  }
}

/** A Temporal client for the configured namespace; fails fast with a clear error when unreachable. */
export async function connectClient(config: Config): Promise<Client> {
  const { address, namespace } = config.temporal;
  try {
    const connection = await Connection.connect({ address, connectTimeout: '5s' });
    return new Client({ connection, namespace, dataConverter: clientDataConverter(config) });
  } catch (error) {
    throw new TemporalUnreachableError(address, { cause: error });
  }
}
