import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import type { Config } from '../config/load.js';
import { EncryptionCodec } from './encryption-codec.js';
import { parseEncryptionKey } from './encryption-key.js';

/** The configuration's payload encryption settings, secrets loaded. */
export type PayloadEncryptionSettings = NonNullable<Config['payloadEncryption']>;

/** The codec the settings ask for; the loader has checked the keys already. */
export function encryptionCodecFor(settings: PayloadEncryptionSettings): EncryptionCodec {
  return new EncryptionCodec(
    parseEncryptionKey(settings.key.reveal()),
    settings.previousKeys.map((key) => parseEncryptionKey(key.reveal())),
  );
}

/**
 * What every Temporal client of the product passes as `dataConverter`: the encryption codec when
 * payload encryption is on, nothing otherwise. Clients never need the failure converter: encoded
 * failure attributes are decoded by the default one.
 */
export function clientDataConverter(config: Pick<Config, 'payloadEncryption'>): DataConverter | undefined {
  return config.payloadEncryption
    ? { payloadCodecs: [encryptionCodecFor(config.payloadEncryption)] }
    : undefined;
}

/**
 * The worker's `dataConverter`: the codec, and a failure converter that moves failure messages into
 * encrypted payloads. The SDK loads that one with `require`, so it is used only from compiled code;
 * a worker run from TypeScript sources (tests) keeps failure messages in clear.
 */
export function workerDataConverter(config: Pick<Config, 'payloadEncryption'>): DataConverter | undefined {
  const converter = clientDataConverter(config);
  if (!converter) return undefined;
  const failureConverterPath = fileURLToPath(new URL('./failure-converter.js', import.meta.url));
  return existsSync(failureConverterPath) ? { ...converter, failureConverterPath } : converter;
}
