import { createHash } from 'node:crypto';

/** The key has the wrong form; the message says which form is expected, never the value. */
export class EncryptionKeyError extends Error {
  override readonly name = 'EncryptionKeyError';
  readonly code = 'ENCRYPTION_KEY_INVALID';
}

/** An AES-256 key and the short id written next to every payload it encrypted. */
export interface EncryptionKey {
  readonly id: string;
  readonly bytes: Buffer;
}

/**
 * Reads a 32-byte key written as 64 hex digits or as base64 (44 characters), e.g. the output of
 * `openssl rand -base64 32`. Anything else throws an EncryptionKeyError.
 */
export function parseEncryptionKey(text: string): EncryptionKey {
  const value = text.trim();
  const bytes = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : fromBase64(value);
  if (bytes?.length !== 32) {
    throw new EncryptionKeyError(
      'expected a 32-byte key as 64 hex digits or 44 base64 characters (openssl rand -base64 32)',
    );
  }
  return { id: keyId(bytes), bytes };
}

/** Names a key without revealing it: the first 8 bytes of its SHA-256, in hex. */
function keyId(bytes: Buffer): string {
  return createHash('sha256').update('payload-key:').update(bytes).digest('hex').slice(0, 16);
}

function fromBase64(value: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return undefined;
  return Buffer.from(value, value.includes('-') || value.includes('_') ? 'base64url' : 'base64');
}
