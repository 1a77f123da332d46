import { setImmediate as nextTurn } from 'node:timers/promises';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { rateLimitPauseMs } from '../../src/servicenow/classify.js';
import { RequestBudget } from '../../src/servicenow/request-budget.js';
import { clientFor, emulatorFor, mapped, stopEmulators } from './fixture.js';

let emulator: RunningEmulator;

beforeEach(async () => {
  emulator = await emulatorFor({ faults: { rateLimit: { requestsPerSecond: 20 } } });
});
afterEach(stopEmulators);

/** Sends `count` lookups at once and gives the statuses the emulator answered. */
async function burst(client: ReturnType<typeof clientFor>, count: number): Promise<number[]> {
  await Promise.allSettled(
    Array.from({ length: count }, (_, i) => client.findUsersByUserName(`u.${i}`, mapped)),
  );
  return emulator.requestLog().map((entry) => entry.status);
}

describe('the request budget', () => {
  it('keeps a burst under the instance rate limit: not one 429', async () => {
    const client = clientFor(emulator, { requestsPerSecond: 15, maxConcurrency: 16 });

    const statuses = await burst(client, 30);

    expect(statuses).toHaveLength(30);
    expect(statuses.filter((status) => status === 429)).toEqual([]);
  });

  it('is what stands between a burst and the rate limit', async () => {
    const client = clientFor(emulator, { maxConcurrency: 64 });

    const statuses = await burst(client, 60);

    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
  });

  it('after a 429, starts nothing more until the rate limiter’s window turns', async () => {
    const client = clientFor(emulator, { maxConcurrency: 1 });

    const statuses = await burst(client, 45);

    // One request after another at 20 a second: without the pause, every request left over in a
    // second after its twentieth would be refused (five at least for 45 requests).
    expect(statuses.filter((status) => status !== 429)).toHaveLength(45);
    expect(statuses.filter((status) => status === 429).length).toBeLessThanOrEqual(3);
  });

  it('sends a request refused with 429 again once the window turns, so every lookup of a burst succeeds', async () => {
    const client = clientFor(emulator, { maxConcurrency: 8 });

    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => client.findUsersByUserName(`u.${i}`, mapped)),
    );

    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    const statuses = emulator.requestLog().map((entry) => entry.status);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
    expect(statuses.filter((status) => status !== 429)).toHaveLength(50);
  });

  it('hands a 429 back to the caller once it has been sent again as often as allowed', async () => {
    emulator.setFaults({ rateLimit: { requestsPerSecond: 1 } });
    const client = clientFor(emulator, { maxConcurrency: 8 }, { rateLimitResend: { maxResends: 1 } });

    const results = await Promise.allSettled(
      Array.from({ length: 4 }, (_, i) => client.findUsersByUserName(`u.${i}`, mapped)),
    );

    const refused = results.flatMap((result) =>
      result.status === 'rejected' ? [result.reason as unknown] : [],
    );
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]).toMatchObject({ type: 'ServiceNowRateLimited', retryable: true });
    // Every refused lookup was sent once more, and no more than that.
    const sent = emulator.requestLog().length;
    expect(sent).toBeGreaterThan(4);
    expect(sent).toBeLessThanOrEqual(8);
  });

  it('holds requests back for as long as it was told to pause', async () => {
    const budget = new RequestBudget({ maxConcurrency: 4 });
    const started = Date.now();

    budget.pauseFor(300);
    const startedAfter = await budget.run(() => Promise.resolve(Date.now() - started));

    expect(startedAfter).toBeGreaterThanOrEqual(290);
  });

  it('pauses until the limiter’s reset when it comes before Retry-After’s whole seconds', () => {
    const now = 1_700_000_000_300;

    expect(rateLimitPauseMs({ 'retry-after': '1', 'x-ratelimit-reset': '1700000001' }, now)).toBe(700);
    expect(rateLimitPauseMs({ 'retry-after': '2' }, now)).toBe(2000);
    expect(rateLimitPauseMs({ 'x-ratelimit-reset': '1699999999' }, now)).toBeUndefined();
    expect(rateLimitPauseMs({}, now)).toBeUndefined();
  });

  it('never lets more than maxConcurrency requests run at once', async () => {
    const budget = new RequestBudget({ maxConcurrency: 3 });
    let running = 0;
    let most = 0;
    const work = () =>
      budget.run(async () => {
        running += 1;
        most = Math.max(most, running);
        await nextTurn();
        await nextTurn();
        running -= 1;
      });

    await Promise.all(Array.from({ length: 10 }, work));

    expect(most).toBe(3);
  });
});
