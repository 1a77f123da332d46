import { encryptionCodecFor } from '../codec/data-converter.js';
import { startCodecServer } from '../codec/codec-server.js';
import { ConfigError, loadPayloadEncryption } from '../config/load.js';
import { createLogger } from '../log.js';

export interface CodecServerCommandOptions {
  readonly host: string;
  readonly port: number;
  readonly origin: string[];
}

/**
 * `provisioner codec-server`: serves the configuration's payload codec until SIGINT or SIGTERM. Needs
 * only the `payloadEncryption` keys of the configuration, none of the other secrets.
 */
export async function runCodecServerCommand(
  configPath: string,
  options: CodecServerCommandOptions,
): Promise<void> {
  const encryption = loadPayloadEncryption(configPath);
  if (!encryption) {
    throw new ConfigError(configPath, [
      { path: 'payloadEncryption', message: 'not set: there is nothing to decode without a key' },
    ]);
  }

  const log = createLogger({ name: 'codec-server' });
  const server = await startCodecServer({
    codec: encryptionCodecFor(encryption),
    host: options.host,
    port: options.port,
    origins: options.origin,
  });
  log.info({ url: server.url, origins: options.origin }, 'codec endpoint listening');

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
}
