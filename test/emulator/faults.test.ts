import type { FaultSettings, RunningEmulator } from '../../src/emulator/index.js';
import { basic, call, emulatorFor, newUser, stopEmulators } from './helpers.js';

afterEach(stopEmulators);

const users = '/api/now/table/sys_user';

async function statuses(emulator: RunningEmulator, count: number): Promise<number[]> {
  const answered: number[] = [];
  for (let i = 0; i < count; i += 1) answered.push((await call(emulator, 'GET', users)).status);
  return answered;
}

describe('injected errors', () => {
  it('answers every request 500 or 503 at errorRate 1, without applying it, and logs the fault', async () => {
    const emulator = await emulatorFor({ faults: { errorRate: 1 } });

    const created = await call(emulator, 'POST', users, { body: newUser({ user_name: 'never.made' }) });

    expect([500, 503]).toContain(created.status);
    expect(emulator.records().map((user) => user.user_name)).not.toContain('never.made');
    expect(emulator.requestLog()[0]?.fault).toMatch(/^error50[03]$/);
  });

  it('answers 500 in the error envelope and 503 as the HTML page of the load balancer', async () => {
    const emulator = await emulatorFor({ faults: { errorRate: 1 } });

    const answers = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(() => call(emulator, 'GET', users)));

    expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([500, 503]));
    for (const answer of answers) {
      if (answer.status === 500) expect(answer.body).toMatchObject({ status: 'failure' });
      else expect(answer.headers.get('content-type')).toContain('text/html');
    }
  });

  it('picks the same requests for the same seed', async () => {
    const faults: Partial<FaultSettings> = { errorRate: 0.5, seed: 42 };
    const first = await statuses(await emulatorFor({ faults }), 12);
    const second = await statuses(await emulatorFor({ faults }), 12);

    expect(second).toEqual(first);
    expect(first).toContain(200);
    expect(first.some((status) => status >= 500)).toBe(true);
  });

  it('applies a POST or PATCH and then answers 500 under commitThen500', async () => {
    const emulator = await emulatorFor({ faults: { commitThen500: 1 } });

    const created = await call(emulator, 'POST', users, { body: newUser({ user_name: 'made.anyway' }) });
    const made = emulator.records().find((user) => user.user_name === 'made.anyway');
    const patched = await call(emulator, 'PATCH', `${users}/${made?.sys_id}`, { body: { title: 'Written' } });

    expect([created.status, patched.status]).toEqual([500, 500]);
    expect(emulator.records().find((user) => user.user_name === 'made.anyway')?.title).toBe('Written');
    expect(emulator.requestLog().map((entry) => entry.fault)).toEqual(['commitThen500', 'commitThen500']);
  });

  it('answers reads normally under commitThen500', async () => {
    const emulator = await emulatorFor({ faults: { commitThen500: 1 } });

    expect(await statuses(emulator, 2)).toEqual([200, 200]);
  });
});

describe('rate limit', () => {
  // Three requests well within a second cross at most one second boundary, so two share a window.
  it('answers 429 with Retry-After and the X-RateLimit headers over the per-second budget', async () => {
    const emulator = await emulatorFor({ faults: { rateLimit: { requestsPerSecond: 1 } } });

    const answers = await Promise.all([1, 2, 3].map(() => call(emulator, 'GET', users)));
    const limited = answers.find((answer) => answer.status === 429);

    expect(limited?.headers.get('retry-after')).toBe('1');
    expect(limited?.headers.get('x-ratelimit-limit')).toBe('1');
    expect(limited?.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(limited?.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 - 1);
    expect(emulator.requestLog().some((entry) => entry.status === 429 && entry.fault === 'rateLimit')).toBe(
      true,
    );
  });

  it('leaves out Retry-After under retryAfterMissing', async () => {
    const emulator = await emulatorFor({
      faults: { rateLimit: { requestsPerSecond: 1 }, retryAfterMissing: true },
    });

    const answers = await Promise.all([1, 2, 3].map(() => call(emulator, 'GET', users)));
    const limited = answers.find((answer) => answer.status === 429);

    expect(limited?.headers.get('x-ratelimit-limit')).toBe('1');
    expect(limited?.headers.has('retry-after')).toBe(false);
  });

  it('counts each API user separately', async () => {
    const emulator = await emulatorFor({
      accounts: [
        { userName: 'busy', password: 'pw' },
        { userName: 'idle', password: 'pw' },
      ],
      faults: { rateLimit: { requestsPerSecond: 1 } },
    });

    await Promise.all([1, 2, 3].map(() => call(emulator, 'GET', users, { auth: basic('busy', 'pw') })));
    const idle = await call(emulator, 'GET', users, { auth: basic('idle', 'pw') });

    expect(idle.status).toBe(200);
  });
});

describe('latency', () => {
  it('holds each answer back by at least latencyMs', async () => {
    const emulator = await emulatorFor({ faults: { latencyMs: 150 } });

    const started = performance.now();
    await call(emulator, 'GET', users);

    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('changing faults while running', () => {
  it('shows and changes the settings at /emulator/faults', async () => {
    const emulator = await emulatorFor();

    const changed = await call(emulator, 'PUT', '/emulator/faults', { body: { errorRate: 1, seed: 7 } });
    const shown = await call(emulator, 'GET', '/emulator/faults');

    expect(changed.body?.result).toEqual({
      latencyMs: 0,
      errorRate: 1,
      rateLimit: null,
      retryAfterMissing: false,
      commitThen500: 0,
      seed: 7,
    });
    expect(shown.body?.result).toEqual(changed.body?.result);
    expect((await statuses(emulator, 1))[0]).toBeGreaterThanOrEqual(500);
  });

  it('refuses a setting out of range with 400 and keeps the old ones', async () => {
    const emulator = await emulatorFor();

    const response = await call(emulator, 'PUT', '/emulator/faults', { body: { errorRate: 2 } });

    expect(response.status).toBe(400);
    expect(response.body?.error?.detail).toContain('errorRate');
    expect(await statuses(emulator, 1)).toEqual([200]);
  });

  it('turns faults off again with setFaults', async () => {
    const emulator = await emulatorFor({ faults: { errorRate: 1 } });

    emulator.setFaults({ errorRate: 0 });

    expect(await statuses(emulator, 2)).toEqual([200, 200]);
  });
});
