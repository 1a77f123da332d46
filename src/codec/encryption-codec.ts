import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { EncryptionKey } from './encryption-key.js';

// The proto package is CommonJS without named exports Node can detect: take its default export.
const PayloadMessage = proto.temporal.api.common.v1.Payload;

/** The encoding name of an encrypted payload, as Temporal's samples and the Web UI know it. */
export const encryptedEncoding = 'binary/encrypted';
/** Metadata key naming the key that encrypted a payload, so keys can be rotated. */
export const keyIdMetadata = 'encryption-key-id';

const ivLength = 12;
const tagLength = 16;
const utf8 = new TextEncoder();
const text = new TextDecoder();

/** A payload cannot be decrypted: unknown key, or altered or truncated data. */
export class PayloadDecryptionError extends Error {
  override readonly name = 'PayloadDecryptionError';
  readonly code = 'PAYLOAD_DECRYPTION_FAILED';
}

/**
 * Encrypts whole payloads (data and metadata) with AES-256-GCM: a random 96-bit IV per payload,
 * written as IV, ciphertext, tag. Decrypts with the key the payload names, the current one or one of
 * `previous` (for rotation). Payloads that are not encrypted pass through, so input an operator
 * gives through the Temporal CLI without the codec endpoint is still read.
 */
export class EncryptionCodec implements PayloadCodec {
  readonly #current: EncryptionKey;
  readonly #keys: ReadonlyMap<string, EncryptionKey>;

  constructor(current: EncryptionKey, previous: readonly EncryptionKey[] = []) {
    this.#current = current;
    this.#keys = new Map([...previous, current].map((key) => [key.id, key]));
  }

  // Async although the work is synchronous: a failure must reach the caller as a rejection.
  // eslint-disable-next-line @typescript-eslint/require-await
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.#encrypt(payload));
  }

  // eslint-disable-next-line @typescript-eslint/require-await
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.#decrypt(payload));
  }

  #encrypt(payload: Payload): Payload {
    const iv = randomBytes(ivLength);
    const cipher = createCipheriv('aes-256-gcm', this.#current.bytes, iv);
    const plain = PayloadMessage.encode(payload).finish();
    const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: utf8.encode(encryptedEncoding),
        [keyIdMetadata]: utf8.encode(this.#current.id),
      },
      data,
    };
  }

  #decrypt(payload: Payload): Payload {
    const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
    if (encoding === undefined || text.decode(encoding) !== encryptedEncoding) return payload;

    const idBytes = payload.metadata?.[keyIdMetadata];
    const id = idBytes ? text.decode(idBytes) : '';
    const key = this.#keys.get(id);
    if (!key)
      throw new PayloadDecryptionError(
        `payload encrypted with key ${id || '(unnamed)'}, which is not configured`,
      );

    const data = Buffer.from(payload.data ?? []);
    if (data.length < ivLength + tagLength)
      throw new PayloadDecryptionError('encrypted payload is truncated');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.bytes, data.subarray(0, ivLength));
      decipher.setAuthTag(data.subarray(data.length - tagLength));
      const plain = Buffer.concat([
        decipher.update(data.subarray(ivLength, data.length - tagLength)),
        decipher.final(),
      ]);
      return PayloadMessage.decode(plain);
    } catch (error) {
      throw new PayloadDecryptionError(`encrypted payload failed authentication with key ${id}`, {
        cause: error,
      });
    }
  }
}
