import { DirectoryError } from '../directory/errors.js';
import { ServiceNowError } from '../servicenow/errors.js';

/** How a system failed at start, in the terms an operator looks for. */
export type FailureKind =
  'refused' | 'timeout' | 'dns' | 'credentials' | 'tls' | 'namespace' | 'mapping' | 'other';

/** The kind of a failure and the words that say it, e.g. `connection refused (ECONNREFUSED)`. */
export interface FailureReason {
  readonly kind: FailureKind;
  readonly text: string;
}

const dnsCodes = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA']);
const timeoutCodes = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT']);
const tlsCode = /CERT|SSL|TLS|EPROTO|SIGNATURE|ISSUER|ALTNAME/i;

/** The first line of an error's message: the rest, when there is any, is detail for logs. */
const firstLine = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();

/** The system error codes (ECONNREFUSED, ENOTFOUND, …) on an error and its causes, outermost first. */
export function systemCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = current.cause;
  }
  return codes;
}

/** Refused, unknown host, timed out or TLS, from the system codes of a failed connection. */
export function networkReason(codes: readonly string[], timeoutMs: number): FailureReason | undefined {
  if (codes.includes('ECONNREFUSED')) return { kind: 'refused', text: 'connection refused (ECONNREFUSED)' };
  const dns = codes.find((code) => dnsCodes.has(code));
  if (dns) return { kind: 'dns', text: `host name not found (DNS: ${dns})` };
  if (codes.some((code) => timeoutCodes.has(code))) return timedOut(timeoutMs);
  const tls = codes.find((code) => tlsCode.test(code));
  if (tls) return { kind: 'tls', text: `TLS failed (${tls})` };
  return undefined;
}

/** No answer within the configured time. */
export function timedOut(timeoutMs: number): FailureReason {
  return { kind: 'timeout', text: `no answer within ${timeoutMs / 1000} s (timeout)` };
}

/** Why the directory could not be connected to or bound with; never holds the password. */
export function directoryReason(error: unknown, timeoutMs: number, bindDn: string): FailureReason {
  const detail = firstLine(error).replace(/^directory \S+ \([^)]*\): /, '');
  if (error instanceof DirectoryError) {
    if (error.code === 'bind-failed') {
      return { kind: 'credentials', text: `bad credentials: the bind as ${bindDn} was refused: ${detail}` };
    }
    if (error.code === 'timeout') return timedOut(timeoutMs);
    if (error.code === 'tls') return { kind: 'tls', text: `TLS failed: ${detail}` };
  }
  return networkReason(systemCodes(error), timeoutMs) ?? { kind: 'other', text: detail };
}

/** Why ServiceNow could not be signed in to and read; never holds a password, secret or token. */
export function serviceNowReason(error: unknown, timeoutMs: number): FailureReason {
  const detail = firstLine(error).replace(/^\w+: /, '');
  if (error instanceof ServiceNowError) {
    if (error.type === 'ServiceNowUnauthorized') {
      return { kind: 'credentials', text: `bad credentials: ${detail}` };
    }
    if (error.type === 'ServiceNowTimeout') return timedOut(timeoutMs);
    if (error.type === 'ServiceNowUnknownField')
      return { kind: 'mapping', text: `mapping.fields: ${detail}` };
  }
  return networkReason(systemCodes(error), timeoutMs) ?? { kind: 'other', text: detail };
}
