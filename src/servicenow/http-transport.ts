import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { got, type Got, type Method } from 'got';
import type { Logger } from '../log.js';
import {
  errorFromRequestFailure,
  rateLimitedUnsent,
  rateLimitPauseMs,
  type CallContext,
} from './classify.js';
import { BudgetPausedError, type RequestBudget } from './request-budget.js';

/** How long the budget stops starting requests after a 429 that says nothing about when to come back. */
const defaultPauseMs = 1000;
/** The shortest pause after a 429, so that advice to come back at once is not a burst of resends. */
const minimumPauseMs = 50;

/** When a request refused with 429 is sent again in place rather than failed. */
export interface RateLimitResend {
  /** Times one request is sent again after a 429. */
  readonly maxResends: number;
  /**
   * The longest pause a request waits out in place. A 429 that asks for longer, or a request that
   * finds the budget paused for longer (an hourly limit used up), goes out as ServiceNowRateLimited
   * with the wait as its retry delay, for Temporal to wait out without holding a slot.
   */
  readonly maxWaitMs: number;
  /** All the waiting one request may do before its 429 goes out, well inside an activity's two minutes. */
  readonly maxTotalWaitMs: number;
}

/**
 * A limiter that counts over seconds (the emulator's, or a proxy's in front of an instance) refuses
 * a busy worker many times a minute: each refusal sent back to Temporal would cost the activity an
 * attempt (a task, a timer, a replay) and raise its back-off for a later 5xx. A user activity makes
 * two or three requests, so fifteen seconds each keep it inside its two minutes.
 */
export const defaultRateLimitResend: RateLimitResend = {
  maxResends: 10,
  maxWaitMs: 5_000,
  maxTotalWaitMs: 15_000,
};

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
 * (a request refused for the rate limit apart, Temporal's retry policy decides) and HTTP errors
 * returned rather than thrown. A request that
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
   * budget's pause is over, within the bounds of RateLimitResend; any other answer, and a 429 beyond
   * those bounds, goes back to the caller. This is the one retry the client makes of a write: the
   * rest is the retry policy's.
   */
  async send(context: CallContext, request: HttpRequest): Promise<HttpResponse> {
    const started = Date.now();
    for (let resends = 0; ; resends += 1) {
      const response = await this.#whenUnpaused(context, () =>
        this.#budget.run(() => this.#exchange(context, request), this.#resend.maxWaitMs),
      );
      if (response.status !== 429 || resends >= this.#resend.maxResends) return response;

      const waitMs = rateLimitPauseMs(response.headers) ?? defaultPauseMs;
      const waitedMs = Date.now() - started;
      if (waitMs > this.#resend.maxWaitMs || waitedMs + waitMs > this.#resend.maxTotalWaitMs) return response;
      this.#logger?.debug(
        { method: request.method, path: request.path, waitMs, resends: resends + 1 },
        'servicenow request refused for the rate limit; sending it again',
      );
    }
  }

  /** Sends one request paced but outside the concurrency pool: for token requests. */
  sendOutsidePool(context: CallContext, request: HttpRequest): Promise<HttpResponse> {
    return this.#whenUnpaused(context, () =>
      this.#budget.runPacedOnly(() => this.#exchange(context, request), this.#resend.maxWaitMs),
    );
  }

  /** Runs `send`, turning a budget paused for too long into the rate limit's error. */
  async #whenUnpaused(context: CallContext, send: () => Promise<HttpResponse>): Promise<HttpResponse> {
    try {
      return await send();
    } catch (error) {
      if (error instanceof BudgetPausedError) throw rateLimitedUnsent(context, error.remainingMs);
      throw error;
    }
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
      if (response.statusCode === 429) {
        const pauseMs = rateLimitPauseMs(response.headers) ?? defaultPauseMs;
        this.#budget.pauseFor(Math.max(minimumPauseMs, pauseMs));
      }
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
