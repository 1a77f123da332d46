import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceNowClientOptions } from '../../src/servicenow/client.js';
import { clientFor, mapped, rejectionOf } from './fixture.js';

/**
 * An instance that answers every request with 429 and the given headers, so the waits are exact:
 * the emulator's one-second windows end wherever the clock happens to be.
 */
interface Refusing {
  readonly url: string;
  readonly requests: number;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function refusingInstance(headers: () => Record<string, string>): Promise<Refusing> {
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    request.resume();
    response.writeHead(429, { 'content-type': 'application/json', ...headers() });
    response.end(
      JSON.stringify({ error: { message: 'Rate limit exceeded', detail: null }, status: 'failure' }),
    );
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
  };
}

const lookup = (instance: Refusing, options: ServiceNowClientOptions = {}) =>
  clientFor(instance, {}, options).findUsersByUserName('someone', mapped);

describe('a request refused for the rate limit', () => {
  it('goes out at once as ServiceNowRateLimited when the limit is used up for longer than a short wait', async () => {
    const instance = await refusingInstance(() => ({ 'retry-after': '1800' }));

    const error = await rejectionOf(lookup(instance));

    expect(error).toMatchObject({ type: 'ServiceNowRateLimited', retryable: true, retryAfterMs: 1_800_000 });
    expect(instance.requests).toBe(1);
  });

  it('is not even sent while the budget waits out an hourly limit, and says how long is left', async () => {
    const instance = await refusingInstance(() => ({ 'retry-after': '1800' }));
    const client = clientFor(instance);
    await rejectionOf(client.findUsersByUserName('first', mapped));

    const error = await rejectionOf(client.findUsersByUserName('second', mapped));

    expect(error).toMatchObject({ type: 'ServiceNowRateLimited', retryable: true });
    expect((error as Error).message).toMatch(/findUsersByUserName: GET sys_user not sent: the rate limit/);
    expect((error as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(1_790_000);
    expect((error as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(1_800_000);
    expect(instance.requests).toBe(1);
  });

  it('is sent again after each short pause until its waiting would pass the total allowed', async () => {
    const instance = await refusingInstance(() => ({ 'retry-after': '1' }));
    const started = Date.now();

    const error = await rejectionOf(lookup(instance, { rateLimitResend: { maxTotalWaitMs: 2_500 } }));

    // Sent at 0, 1 and 2 s; a third wait would end at 3 s, past the 2.5 s allowed.
    expect(error).toMatchObject({ type: 'ServiceNowRateLimited', retryAfterMs: 1000 });
    expect(instance.requests).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
  });

  it('takes the wait from X-RateLimit-Reset when the 429 has no Retry-After', async () => {
    const reset = Math.floor(Date.now() / 1000) + 3;
    const instance = await refusingInstance(() => ({ 'x-ratelimit-reset': String(reset) }));

    const error = await rejectionOf(lookup(instance, { rateLimitResend: { maxResends: 0 } }));

    const waitMs = (error as { retryAfterMs: number }).retryAfterMs;
    expect(error).toMatchObject({ type: 'ServiceNowRateLimited', retryable: true });
    expect(waitMs).toBeGreaterThan(1_000);
    expect(waitMs).toBeLessThanOrEqual(3_000);
    expect(instance.requests).toBe(1);
  });
});
