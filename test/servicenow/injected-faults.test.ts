import type { RunningEmulator } from '../../src/emulator/index.js';
import type { ServiceNowClientOptions } from '../../src/servicenow/client.js';
import type { ServiceNowError } from '../../src/servicenow/errors.js';
import { clientFor, emulatorFor, mapped, newUser, rejectionOf, stopEmulators } from './fixture.js';

let emulator: RunningEmulator;

beforeEach(async () => {
  emulator = await emulatorFor();
});
afterEach(stopEmulators);

/** The errors of `count` lookups sent at once (successes left out). */
async function failuresOf(count: number, options: ServiceNowClientOptions = {}): Promise<ServiceNowError[]> {
  const client = clientFor(emulator, {}, options);
  const results = await Promise.allSettled(
    Array.from({ length: count }, (_, i) => client.findUsersByUserName(`user.${i}`, mapped)),
  );
  return results.flatMap((result) =>
    result.status === 'rejected' ? [result.reason as ServiceNowError] : [],
  );
}

describe('answers of a struggling instance', () => {
  it('makes a 429 a retryable ServiceNowRateLimited that waits as long as Retry-After says', async () => {
    emulator.setFaults({ rateLimit: { requestsPerSecond: 1 } });

    const [error] = await failuresOf(4, { rateLimitResend: { maxResends: 0 } });

    expect(error).toMatchObject({
      type: 'ServiceNowRateLimited',
      retryable: true,
      status: 429,
      retryAfterMs: 1000,
    });
  });

  it('makes a 500 or a 503 page a retryable ServiceNowUnavailable', async () => {
    emulator.setFaults({ errorRate: 1 });

    const errors = await failuresOf(6);

    expect(errors).toHaveLength(6);
    for (const error of errors) {
      expect(error).toMatchObject({ type: 'ServiceNowUnavailable', retryable: true });
      expect([500, 503]).toContain(error.status);
    }
    expect(new Set(errors.map((error) => error.status))).toEqual(new Set([500, 503]));
  });

  it('takes no retry advice for a 5xx from the X-RateLimit-Reset an instance with a rate limit sends', async () => {
    emulator.setFaults({ errorRate: 1, rateLimit: { requestsPerSecond: 100 } });

    const errors = await failuresOf(6);

    expect(errors.map((error) => [error.type, error.retryAfterMs])).toEqual(
      Array.from({ length: 6 }, () => ['ServiceNowUnavailable', undefined]),
    );
  });

  it('makes a create answered 500 after committing retryable; a lookup then finds it', async () => {
    const client = clientFor(emulator);
    emulator.setFaults({ commitThen500: 1 });

    const error = await rejectionOf(client.createUser(newUser({ userName: 'committed.anyway' }), mapped));
    emulator.setFaults({ commitThen500: 0 });

    expect(error).toMatchObject({ type: 'ServiceNowUnavailable', retryable: true, status: 500 });
    expect((await client.findUsersByUserName('committed.anyway', mapped)).map((u) => u.userName)).toEqual([
      'committed.anyway',
    ]);
  });

  it('makes an answer slower than the timeout a retryable ServiceNowTimeout', async () => {
    emulator.setFaults({ latencyMs: 500 });

    const error = await rejectionOf(
      clientFor(emulator, { timeout: '100ms' }).findUsersByUserName('slow', mapped),
    );

    expect(error).toMatchObject({ type: 'ServiceNowTimeout', retryable: true });
  });
});
