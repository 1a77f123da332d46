import { ServiceNowError, ServiceNowTransportCause, type ServiceNowErrorType } from './errors.js';

/** Which call failed, for error messages: `createUser: POST sys_user`. */
export interface CallContext {
  readonly operation: string;
  readonly method: string;
  readonly table: string;
  /** The call writes user_name, so a refusal may be the case-insensitive unique index. */
  readonly writesUserName?: boolean;
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

const maxServerTextLength = 200;

/** Turns a non-2xx answer into a classified ServiceNowError. */
export function errorFromResponse(
  context: CallContext,
  status: number,
  headers: Headers,
  body: string,
): ServiceNowError {
  const serverText = serverMessage(body);
  const where = `${context.operation}: ${context.method} ${context.table} answered ${status}`;
  const message = serverText === '' ? where : `${where} (${serverText})`;
  const fail = (type: ServiceNowErrorType, retryable: boolean, retryAfterMs?: number): ServiceNowError =>
    new ServiceNowError(type, message, { retryable, status, retryAfterMs });

  if (status === 401) return fail('ServiceNowUnauthorized', false);
  if (status === 403 && context.writesUserName === true && /operation failed/i.test(serverText)) {
    // ServiceNow answers a unique-index violation (user_name taken, case-insensitively) this way.
    return fail('ServiceNowDuplicate', false);
  }
  if (status === 403) return fail('ServiceNowForbidden', false);
  if (status === 404) return fail('ServiceNowNotFound', false);
  if (status === 429) return fail('ServiceNowRateLimited', true, retryDelayMs(headers));
  if (status === 408) return fail('ServiceNowTimeout', true);
  // An instance with a rate limit rule sends X-RateLimit-Reset on every answer; on a 5xx it only
  // says when the limiter's window turns, nothing about when the instance will work again.
  if (status >= 500) return fail('ServiceNowUnavailable', true, retryAfterMs(headers));
  return fail('ServiceNowBadRequest', false);
}

/** Codes of got errors that mean "no answer in time" rather than "no connection". */
const timeoutCodes = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/**
 * Turns a failure to get any answer (refused, reset, TLS, DNS, timeout) into a retryable
 * ServiceNowError. The original error is dropped: got keeps the request headers on it.
 */
export function errorFromRequestFailure(context: CallContext, error: unknown): ServiceNowError {
  const code = typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : '';
  const text = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : 'Error';
  const cause = new ServiceNowTransportCause(name, text, code || undefined);
  const timedOut = timeoutCodes.has(code) || name === 'TimeoutError';
  const type = timedOut ? 'ServiceNowTimeout' : 'ServiceNowNetwork';
  const what = timedOut ? 'timed out' : `failed without an answer (${code || name})`;

  return new ServiceNowError(type, `${context.operation}: ${context.method} ${context.table} ${what}`, {
    retryable: true,
    cause,
  });
}

/**
 * A request not sent because the instance's rate limit, at its last 429, allowed none for longer
 * than the client waits in place: retryable after the rest of that wait.
 */
export function rateLimitedUnsent(context: CallContext, waitMs: number): ServiceNowError {
  const seconds = Math.ceil(waitMs / 1000);
  return new ServiceNowError(
    'ServiceNowRateLimited',
    `${context.operation}: ${context.method} ${context.table} not sent: the rate limit allows no request for ${seconds} s`,
    { retryable: true, retryAfterMs: waitMs },
  );
}

/** A 2xx answer that cannot be what ServiceNow sends (not JSON, wrong shape, broken paging). */
export function badResponse(context: CallContext, problem: string, retryable: boolean): ServiceNowError {
  return new ServiceNowError(
    'ServiceNowBadResponse',
    `${context.operation}: ${context.method} ${context.table} returned ${problem}`,
    { retryable },
  );
}

/**
 * The server's advice on when to come back, in milliseconds: `Retry-After` in seconds or as an
 * HTTP date, else `X-RateLimit-Reset` (epoch seconds). Undefined when there is none.
 */
export function retryDelayMs(headers: Headers, now = Date.now()): number | undefined {
  const advised = retryAfterMs(headers, now);
  if (advised !== undefined) return advised;

  const reset = firstHeader(headers, 'x-ratelimit-reset')?.trim();
  if (reset !== undefined && /^\d+$/.test(reset)) {
    const delay = Number(reset) * 1000 - now;
    // An implausible reset (already past, or further than a day) says nothing useful.
    if (delay >= 0 && delay <= 86_400_000) return delay;
  }
  return undefined;
}

/** `Retry-After` in milliseconds, given in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const retryAfter = firstHeader(headers, 'retry-after')?.trim();
  if (retryAfter === undefined || retryAfter === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);

  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * How long to start no request at all after a 429: until the limiter's window turns, which
 * `X-RateLimit-Reset` gives to the second and `Retry-After` rounds up to whole seconds, so the
 * earlier of the two. Undefined when the answer has neither.
 */
export function rateLimitPauseMs(headers: Headers, now = Date.now()): number | undefined {
  const reset = firstHeader(headers, 'x-ratelimit-reset')?.trim();
  const untilReset =
    reset !== undefined && /^\d+(\.\d+)?$/.test(reset) ? Number(reset) * 1000 - now : undefined;
  const advised = retryDelayMs(headers, now);
  if (untilReset === undefined || untilReset < 0 || untilReset > 86_400_000) return advised;
  return advised === undefined ? untilReset : Math.min(advised, untilReset);
}

function firstHeader(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** ServiceNow's `{ error: { message, detail } }`, shortened; empty when the body is something else. */
function serverMessage(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return '';
  }
  const error = (parsed as { error?: { message?: unknown; detail?: unknown } } | null)?.error;
  if (typeof error !== 'object' || error === null) return '';

  const parts = [error.message, error.detail].filter((p): p is string => typeof p === 'string' && p !== '');
  const text = parts.join(': ');
  return text.length > maxServerTextLength ? `${text.slice(0, maxServerTextLength)}…` : text;
}
