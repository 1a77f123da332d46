/** Stable error types of the ServiceNow client; activities turn them into ApplicationFailure types. */
export type ServiceNowErrorType =
  | 'ServiceNowUnauthorized'
  | 'ServiceNowForbidden'
  | 'ServiceNowDuplicate'
  | 'ServiceNowNotFound'
  | 'ServiceNowBadRequest'
  | 'ServiceNowRateLimited'
  | 'ServiceNowUnavailable'
  | 'ServiceNowTimeout'
  | 'ServiceNowNetwork'
  | 'ServiceNowValueTooLong'
  | 'ServiceNowUnknownField'
  | 'ServiceNowBadResponse';

/** What a ServiceNowError carries besides its message. */
export interface ServiceNowErrorDetails {
  readonly retryable: boolean;
  readonly status?: number;
  readonly retryAfterMs?: number;
  /** A plain, credential-free description of what went wrong underneath (never a got error). */
  readonly cause?: unknown;
}

/**
 * A failed ServiceNow call, classified once so that callers never look at HTTP details: `type` is
 * stable, `retryable` says whether trying again later can help, `retryAfterMs` is the server's own
 * advice on 429/503. Messages name the client method, the table and the status; they never contain
 * a password, a token or an Authorization header, and neither does `cause`.
 */
export class ServiceNowError extends Error {
  override readonly name = 'ServiceNowError';
  readonly type: ServiceNowErrorType;
  readonly retryable: boolean;
  readonly status?: number;
  readonly retryAfterMs?: number;
  declare readonly cause?: unknown;

  constructor(type: ServiceNowErrorType, message: string, details: ServiceNowErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.type = type;
    this.retryable = details.retryable;
    if (details.status !== undefined) this.status = details.status;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }

  /** What JSON.stringify and log serialisers see: the classification and message, nothing else. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      type: this.type,
      message: this.message,
      retryable: this.retryable,
      status: this.status,
      retryAfterMs: this.retryAfterMs,
      cause:
        this.cause instanceof Error ? { name: this.cause.name, message: this.cause.message } : this.cause,
    };
  }
}

/**
 * A stand-in for a low-level failure (socket, TLS, timeout, JSON) that keeps only its name, code and
 * message. got's own errors hold the request options, headers included, so they are never kept.
 */
export class ServiceNowTransportCause extends Error {
  override readonly name: string;
  readonly code?: string;

  constructor(name: string, message: string, code?: string) {
    super(message);
    this.name = name;
    if (code !== undefined) this.code = code;
  }
}
