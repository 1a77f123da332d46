import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { noFaults, parseFaultChanges } from './fault-settings.js';
import type { FaultSettings } from './types.js';

/** What the rate limit decided for one request: the headers to send, and whether to refuse it. */
export interface RateDecision {
  readonly limited: boolean;
  readonly headers: Record<string, string>;
}

/**
 * Decides which requests a fault answers. Every random decision comes from one generator seeded
 * with `seed`, drawn in the order requests arrive, so a run repeated request for request is
 * answered the same way. Changing the seed restarts the generator.
 */
export class FaultInjector {
  private settings: FaultSettings = noFaults;
  private random: RandomGenerator = xoroshiro128plus(noFaults.seed);
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(initial: Partial<FaultSettings> = {}) {
    this.update(initial);
  }

  /** The settings in force. */
  current(): FaultSettings {
    return structuredClone(this.settings);
  }

  /** Changes the given settings, keeps the others; throws InvalidFaultSettingsError on a bad value. */
  update(changes: Partial<FaultSettings>): FaultSettings {
    const checked = parseFaultChanges(changes);
    this.settings = { ...this.settings, ...checked };
    if (checked.seed !== undefined) this.random = xoroshiro128plus(checked.seed);
    if (checked.rateLimit !== undefined) this.windows.clear();
    return this.current();
  }

  /** Milliseconds to wait before answering. */
  latencyMs(): number {
    return this.settings.latencyMs;
  }

  /**
   * Counts a request against its user's budget for the current second. Undefined when no limit is
   * set; otherwise the X-RateLimit headers and, over budget, a Retry-After unless told to omit it.
   */
  rateLimit(user: string, now = Date.now()): RateDecision | undefined {
    const limit = this.settings.rateLimit?.requestsPerSecond;
    if (limit === undefined) return undefined;

    const start = Math.floor(now / 1000) * 1000;
    const window = this.windows.get(user);
    const current = window?.start === start ? window : { start, used: 0 };
    const limited = current.used >= limit;
    if (!limited) current.used += 1;
    this.windows.set(user, current);

    const headers: Record<string, string> = {
      'X-RateLimit-Limit': String(limit),
      'X-RateLimit-Remaining': String(Math.max(0, Math.floor(limit - current.used))),
      'X-RateLimit-Reset': String((start + 1000) / 1000),
    };
    if (limited && !this.settings.retryAfterMissing)
      headers['Retry-After'] = String(Math.ceil((start + 1000 - now) / 1000));
    return { limited, headers };
  }

  /** Whether to answer the request with a server error before applying it, and which. */
  failure(): 'error500' | 'error503' | undefined {
    if (this.settings.errorRate <= 0 || this.draw() >= this.settings.errorRate) return undefined;
    return this.draw() < 0.5 ? 'error500' : 'error503';
  }

  /** Whether an applied write is to be answered 500 anyway, as an instance does when a later step fails. */
  commitThen500(method: string): boolean {
    if (!['POST', 'PUT', 'PATCH'].includes(method) || this.settings.commitThen500 <= 0) return false;
    return this.draw() < this.settings.commitThen500;
  }

  private draw(): number {
    return uniformFloat64(this.random);
  }
}
