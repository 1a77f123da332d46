import { ResultCodeError } from 'ldapts';
import { describeResultCode } from './result-codes.js';

/** Why a directory read failed. Every code means "nothing was returned": a read is whole or it throws. */
export type DirectoryErrorCode =
  /** No connection: refused, unknown host, connect timeout, server unavailable or busy. */
  | 'unreachable'
  /** The TLS handshake or StartTLS failed, or the CA file could not be read. */
  | 'tls'
  /** The server refused the bind DN and password. */
  | 'bind-failed'
  /** The base DN does not exist (result code 32). */
  | 'base-not-found'
  /** A configured scope group does not exist or is not a group. */
  | 'group-not-found'
  /** The server stopped the search at its size limit (4) or an administrative limit (11). */
  | 'size-limit'
  /** The server stopped the search at its time limit (3). */
  | 'time-limit'
  /** The server did not answer within the configured timeout. */
  | 'timeout'
  /** The connection dropped, or the server sent what the reader cannot use, before the read was whole. */
  | 'incomplete-read'
  /** The configured filter is not a valid LDAP filter (RFC 4515). */
  | 'bad-filter'
  /** The server does not do what the configured way of reading needs (e.g. the in-chain matching rule). */
  | 'unsupported'
  /** The server refused the search for another reason; `resultCode` says which. */
  | 'search-failed';

/** A directory read that did not finish cleanly. The message names the server and the DN concerned. */
export class DirectoryError extends Error {
  override readonly name = 'DirectoryError';
  /** The LDAP result code the server answered with, when there was one. */
  readonly resultCode: number | undefined;

  constructor(
    readonly code: DirectoryErrorCode,
    message: string,
    options: { cause?: unknown; resultCode?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.resultCode = options.resultCode;
  }
}

/** What the reader was doing when an error happened; decides what a connection error means. */
export type ReadStep = 'connect' | 'bind' | 'search';

const tlsErrorCode = /CERT|SSL|TLS|EPROTO|SIGNATURE|ISSUER|ALTNAME/i;

/**
 * Turns anything ldapts or Node threw into a DirectoryError with a stable code. `where` names the
 * server and the operation for the message (never a password).
 */
export function toDirectoryError(error: unknown, step: ReadStep, where: string): DirectoryError {
  if (error instanceof DirectoryError) return error;

  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof ResultCodeError) {
    const refusal = describeResultCode(error.code, detail);
    return new DirectoryError(resultCodeMeaning(error.code, step), `${where}: ${refusal}`, {
      cause: error,
      resultCode: error.code,
    });
  }

  const systemCode = (error as { code?: unknown } | undefined)?.code;
  const code = typeof systemCode === 'string' ? systemCode : '';
  if (tlsErrorCode.test(code)) {
    return new DirectoryError('tls', `${where}: TLS failed: ${detail}`, { cause: error });
  }
  // ldapts says "Operation timed out" when an answer is late; a late connect is "Connection timeout".
  if (/timed out/i.test(detail)) {
    return new DirectoryError('timeout', `${where}: no answer in time: ${detail}`, { cause: error });
  }
  if (step === 'search') {
    return new DirectoryError('incomplete-read', `${where}: read cut short: ${detail}`, { cause: error });
  }
  return new DirectoryError('unreachable', `${where}: cannot reach the server: ${detail}`, { cause: error });
}

function resultCodeMeaning(resultCode: number, step: ReadStep): DirectoryErrorCode {
  switch (resultCode) {
    case 3:
      return 'time-limit';
    case 4:
    case 11:
      return 'size-limit';
    case 32:
      return step === 'search' ? 'base-not-found' : 'bind-failed';
    case 51:
    case 52:
      return 'unreachable';
    case 87:
      return 'bad-filter';
    default:
      return step === 'search' ? 'search-failed' : step === 'bind' ? 'bind-failed' : 'tls';
  }
}
