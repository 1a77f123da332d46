import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { got, type Got, type Method } from 'got';
import type { Logger } from '../log.js';
import { errorFromRequestFailure, rateLimitPauseMs, type CallContext } from './classify.js';
import type { RequestBudget } from './request-budget.js';

/** How long the budget stops starting requests after a 429 that says nothing about when to come back. */
const defaultPauseMs = 1000;

/** When a request refused with 429 is sent again in place rather than failed. */
export interface RateLimitResend {
  /** Times one request is sent again after a 429. */
  readonly maxResends: number;
  /** A 429 that asks for a longer wait than this goes out as an error, for Temporal to wait out. */
  readonly maxWaitMs: number;
}

/**
 * An instance whose limiter counts per second refuses a busy worker many times a minute; each
 * refusal sent back to Temporal costs the activity an attempt (a task, a timer, a replay) and raises
 * its back-off for a later 5xx. Ten short waits stay far inside the activity's two minutes.
 */
export const defaultRateLimitResend: RateLimitResend = { maxResends: 10, maxWaitMs: 5_000 };

/** One HTTP exchange as the client needs it. */
export interface HttpRequest {
  readonly method: Method;
  /** Path below the instance URL, starting with `/`. */
  readonly path: string;
  readonly searchParams?: Readonly<Record<string, string>>;
  readonly json?: unknown;
  readonly form?: Readonly<Record<string, string>>;
  readonly authorization?: string;
}

/** The answer, whatever its status; classification is the caller's. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** Connection settings of the transport. */
export interface HttpTransportOptions {
  readonly instanceUrl: string;
  readonly timeoutMs: number;
  readonly caFile?: string | undefined;
  /** False only when an operator turned verification off explicitly; default true. */
  readonly verifyCertificate?: boolean | undefined;
  readonly budget: RequestBudget;
  readonly logger?: Logger | undefined;
  readonly rateLimitResend?: Partial<RateLimitResend> | undefined;
}

/**
 * Sends requests to one ServiceNow instance through the request budget, with got's retries off
 * (Temporal's retry policy decides) and HTTP errors returned rather than thrown. A request that
 * gets no answer becomes a retryable ServiceNowError with got's error (which holds the headers)
 * dropped. Logs carry method, path, status and duration; never headers, bodies or queries.
 */
export class HttpTransport {
  readonly #got: Got;
  readonly #base: URL;
  readonly #budget: RequestBudget;
  readonly #logger: Logger | undefined;
  readonly #resend: RateLimitResend;

  constructor(options: HttpTransportOptions) {
    this.#base = new URL(options.instanceUrl);
    this.#budget = options.budget;
    this.#logger = options.logger;
    this.#resend = { ...defaultRateLimitResend, ...options.rateLimitResend };
    this.#got = got.extend({
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      timeout: { request: options.timeoutMs },
      responseType: 'text',
      headers: { accept: 'application/json', 'user-agent': 'servicenow-directory-provisioner' },
      https: {
        rejectUnauthorized: options.verifyCertificate ?? true,
        ...(options.caFile === undefined
          ? {}
          : { certificateAuthority: trustedCertificates(options.caFile) }),
      },
    });
  }

  /**
   * Sends one request inside the budget (a concurrency slot and a paced start). A 429 means the
   * instance did nothing with the request, so one whose advised wait is short is sent again once the
   * budget's pause is over, a bounded number of times; any other answer, and a 429 beyond those
   * bounds, goes back to the caller.
   */
  async send(context: CallContext, request: HttpRequest): Promise<HttpResponse> {
    for (let resends = 0; ; resends += 1) {
      const response = await this.#budget.run(() => this.#exchange(context, request));
      if (response.status !== 429 || resends >= this.#resend.maxResends) return response;

      const waitMs = rateLimitPauseMs(response.headers) ?? defaultPauseMs;
      if (waitMs > this.#resend.maxWaitMs) return response;
      this.#logger?.debug(
        { method: request.method, path: request.path, waitMs, resends: resends + 1 },
        'servicenow request refused for the rate limit; sending it again',
      );
    }
  }

  /** Sends one request paced but outside the concurrency pool: for token requests. */
  sendOutsidePool(context: CallContext, request: HttpRequest): Promise<HttpResponse> {
    return this.#budget.runPacedOnly(() => this.#exchange(context, request));
  }

  async #exchange(context: CallContext, request: HttpRequest): Promise<HttpResponse> {
    const url = new URL(this.#base.pathname.replace(/\/+$/, '') + request.path, this.#base);
    const started = Date.now();
    try {
      const response = await this.#got(url, {
        method: request.method,
        searchParams: request.searchParams === undefined ? undefined : { ...request.searchParams },
        json: request.json,
        form: request.form,
        headers: request.authorization === undefined ? {} : { authorization: request.authorization },
      });
      this.#logger?.debug(
        { method: request.method, path: request.path, status: response.statusCode, ms: Date.now() - started },
        'servicenow request',
      );
      if (response.statusCode === 429)
        this.#budget.pauseFor(rateLimitPauseMs(response.headers) ?? defaultPauseMs);
      return { status: response.statusCode, headers: response.headers, body: response.body };
    } catch (error) {
      this.#logger?.debug(
        { method: request.method, path: request.path, code: (error as { code?: unknown }).code },
        'servicenow request failed',
      );
      throw errorFromRequestFailure(context, error);
    }
  }
}

/** The system's CAs plus those in `caFile`: a private CA is added to, not substituted for, the rest. */
function trustedCertificates(caFile: string): string[] {
  let pem: string;
  try {
    pem = readFileSync(caFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new Error(`servicenow.caFile: cannot read ${caFile} (${code})`);
  }
  return [...rootCertificates, pem];
}
