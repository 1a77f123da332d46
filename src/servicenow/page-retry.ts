import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../log.js';
import { ServiceNowError } from './errors.js';

/** How often, and for how long in all, one page of a scan is asked for again. */
export interface PageRetryPolicy {
  /** Retries of one page after its first attempt. */
  readonly maxRetries: number;
  /** All the waiting one page may do, a server's Retry-After included; a longer wait is Temporal's. */
  readonly maxWaitMs: number;
  /** The first back-off when the server gives no advice; it doubles on each retry up to maxDelayMs. */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** How often the caller's keep-alive runs during a wait; well under the 2-minute heartbeat timeout. */
  readonly keepAliveIntervalMs: number;
}

/** Eight retries at 1 s doubling to 30 s fit in three minutes, whatever the jitter. */
export const defaultPageRetryPolicy: PageRetryPolicy = {
  maxRetries: 8,
  maxWaitMs: 180_000,
  initialDelayMs: 1000,
  maxDelayMs: 30_000,
  keepAliveIntervalMs: 20_000,
};

/** How a scan retries its pages. */
export interface PageRetry {
  readonly policy?: Partial<PageRetryPolicy> | undefined;
  readonly logger?: Logger | undefined;
  /** Runs when a wait starts and during it: the caller's heartbeat, so a long wait looks alive. */
  readonly keepAlive?: (() => void) | undefined;
}

/**
 * Reads one page of a scan, asking again in place after a retryable failure (the server's
 * Retry-After as the wait, else exponential back-off with jitter) until the policy's bounds are
 * reached; then the last error goes out for Temporal's retry policy to decide. Errors that are not
 * retryable (401, 403, 400, a broken answer) go out at once.
 *
 * Elsewhere the product leaves retries to the retry policy, apart from a request refused with 429
 * for a moment, which the transport sends again (see http-transport.ts). A scan is the exception
 * because it cannot resume. The reconcile reads every account in one activity attempt (and the
 * directory read beside it cannot resume either), so one failed page among a hundred would start
 * the whole read again from page one, and at a few per cent of errors a large table would never be
 * read in full within the activity's attempts. Only these idempotent GETs are retried here; a
 * write that fails is retried by its activity, after a read.
 */
export async function readPageWithRetries<T>(
  read: () => Promise<T>,
  page: number,
  retry: PageRetry,
): Promise<T> {
  const policy = { ...defaultPageRetryPolicy, ...retry.policy };
  let waited = 0;

  for (let attempt = 1; ; attempt += 1) {
    try {
      return await read();
    } catch (error) {
      if (!isRetryable(error) || attempt > policy.maxRetries) throw error;

      // Advice to come back at once (Retry-After: 0, or a date already past) is no advice.
      const waitMs = error.retryAfterMs || backoffMs(attempt, policy);
      if (waited + waitMs > policy.maxWaitMs) throw error;

      retry.logger?.warn({ page, attempt, errorType: error.type, waitMs }, 'servicenow page retried');
      await waitKeepingAlive(waitMs, policy.keepAliveIntervalMs, retry.keepAlive);
      waited += waitMs;
    }
  }
}

function isRetryable(error: unknown): error is ServiceNowError {
  return error instanceof ServiceNowError && error.retryable;
}

/** Between half and all of the doubled delay, so that scans failed together do not retry together. */
function backoffMs(attempt: number, policy: PageRetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

async function waitKeepingAlive(ms: number, intervalMs: number, keepAlive?: () => void): Promise<void> {
  let left = ms;
  while (left > 0) {
    keepAlive?.();
    const slice = Math.min(left, intervalMs);
    await sleep(slice);
    left -= slice;
  }
}
