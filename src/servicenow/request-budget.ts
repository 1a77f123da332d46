import pLimit, { type LimitFunction } from 'p-limit';
import pThrottle from 'p-throttle';

/** How much of ServiceNow one process may use. */
export interface RequestBudgetOptions {
  /** Requests in flight at once. */
  readonly maxConcurrency: number;
  /** Requests started per second; undefined means no rate limit. */
  readonly requestsPerSecond?: number | undefined;
}

/**
 * The share of a ServiceNow instance one worker may use: at most `maxConcurrency` requests in
 * flight and, if set, at most `requestsPerSecond` started per second, spread evenly (one every
 * 1/rate seconds) so that no one-second window of the instance's rate limiter sees a burst.
 * The worker makes one client per process, so the budget is per worker process.
 */
export class RequestBudget {
  readonly #concurrency: LimitFunction;
  readonly #pace: <T>(send: () => Promise<T>) => Promise<T>;
  /** No request starts before this time (epoch ms): set by a 429's advice to come back later. */
  #resumeAt = 0;

  constructor(options: RequestBudgetOptions) {
    this.#concurrency = pLimit(options.maxConcurrency);

    const rate = options.requestsPerSecond;
    if (rate === undefined) {
      this.#pace = (send) => send();
      return;
    }
    const throttled = pThrottle({ limit: 1, interval: 1000 / rate, strict: true })(
      (send: () => Promise<unknown>) => send(),
    );
    this.#pace = <T>(send: () => Promise<T>) => throttled(send) as Promise<T>;
  }

  /**
   * Runs `send` when both a concurrency slot and a start slot are free and the budget is not paused.
   * The slot is taken first and the start paced second, so requests queued behind a busy pool
   * cannot start in a burst. When the pause still to wait is longer than `maxPauseMs`, it throws
   * BudgetPausedError instead of holding the slot that long.
   */
  run<T>(send: () => Promise<T>, maxPauseMs = Number.POSITIVE_INFINITY): Promise<T> {
    return this.#concurrency(() => this.#pace(() => this.#afterPause(send, maxPauseMs)));
  }

  /** Paces `send` without taking a concurrency slot: for token requests made while a slot is held. */
  runPacedOnly<T>(send: () => Promise<T>, maxPauseMs = Number.POSITIVE_INFINITY): Promise<T> {
    return this.#pace(() => this.#afterPause(send, maxPauseMs));
  }

  /**
   * Starts no request for `ms` from now: the instance answered 429 and said when to come back.
   * Without it, every other request in flight would be refused too until the limiter's window
   * turns, and the instance's budget would go unused while those requests wait to be sent again.
   */
  pauseFor(ms: number, now = Date.now()): void {
    this.#resumeAt = Math.max(this.#resumeAt, now + ms);
  }

  async #afterPause<T>(send: () => Promise<T>, maxPauseMs: number): Promise<T> {
    for (let wait = this.#resumeAt - Date.now(); wait > 0; wait = this.#resumeAt - Date.now()) {
      if (wait > maxPauseMs) throw new BudgetPausedError(wait);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    return send();
  }

  /** Requests waiting for a slot, for diagnostics. */
  get pending(): number {
    return this.#concurrency.pendingCount;
  }
}

/** A request not sent because the budget is paused for longer than its caller will wait. */
export class BudgetPausedError extends Error {
  override readonly name = 'BudgetPausedError';

  constructor(readonly remainingMs: number) {
    super(`the request budget is paused for another ${Math.ceil(remainingMs / 1000)} s`);
  }
}
