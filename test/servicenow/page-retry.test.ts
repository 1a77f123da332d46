import type { RequestLogEntry } from '../../src/emulator/index.js';
import type { Logger } from '../../src/log.js';
import type { ServiceNowError } from '../../src/servicenow/errors.js';
import type { PageRetryPolicy } from '../../src/servicenow/page-retry.js';
import {
  allPages,
  apiPassword,
  apiUser,
  clientFor,
  emulatorFor,
  mapped,
  newUser,
  person,
  rejectionOf,
  stopEmulators,
} from './fixture.js';

afterEach(stopEmulators);

/** Short waits, so that a test of many retries takes seconds; the bounds are the defaults'. */
const quick: Partial<PageRetryPolicy> = { initialDelayMs: 20, maxDelayMs: 200 };
/** The transport's own resend after a 429 turned off, so that the page retry meets every refusal. */
const none = { maxResends: 0 };

const records = (count: number) => Array.from({ length: count }, () => person());

const pageQuery = (entry: RequestLogEntry) => entry.query.sysparm_query;

const faulted = (entry: RequestLogEntry) => entry.fault !== undefined;

/** A logger that keeps the fields of each warning. */
function recordingLogger(): { logger: Logger; warnings: Array<Record<string, unknown>> } {
  const warnings: Array<Record<string, unknown>> = [];
  const logger = {
    warn: (fields: Record<string, unknown>, message: string) => warnings.push({ ...fields, message }),
    debug: () => {},
  } as unknown as Logger;
  return { logger, warnings };
}

describe('a scan of sys_user through a failing instance', () => {
  it('returns every row exactly once under 20 % 5xx, asking again for each failed page', async () => {
    const emulator = await emulatorFor({ records: records(2500) });
    emulator.setFaults({ errorRate: 0.2, seed: 7 });
    const { logger, warnings } = recordingLogger();
    const client = clientFor(emulator, { pageSize: 40 }, { pageRetry: quick, logger });

    const pages = await allPages(client.listUsers(mapped));

    const seen = pages.flat().map((user) => user.sysId);
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(new Set(emulator.records().map((row) => row.sys_id)));
    const log = emulator.requestLog();
    const failures = log.filter(faulted);
    expect(failures.length).toBeGreaterThan(5);
    for (const failure of failures) {
      const next = log[log.indexOf(failure) + 1];
      expect(next && pageQuery(next)).toBe(pageQuery(failure));
    }
    // Each page was answered once: the scan never went back to page one.
    const answered = log.filter((entry) => entry.status === 200).map(pageQuery);
    expect(new Set(answered).size).toBe(answered.length);
    expect(answered).toHaveLength(pages.length + 1);
    expect(warnings).toHaveLength(failures.length);
  }, 120_000);

  it('logs each page retry with its number, attempt, error type and wait, and nothing else', async () => {
    const emulator = await emulatorFor({ records: records(30) });
    emulator.setFaults({ errorRate: 0.5, seed: 3 });
    const { logger, warnings } = recordingLogger();

    await allPages(clientFor(emulator, { pageSize: 10 }, { pageRetry: quick, logger }).listUsers(mapped));

    expect(warnings.length).toBeGreaterThan(0);
    for (const warning of warnings) {
      expect(Object.keys(warning).sort()).toEqual(['attempt', 'errorType', 'message', 'page', 'waitMs']);
      expect(warning).toMatchObject({
        message: 'servicenow page retried',
        errorType: 'ServiceNowUnavailable',
      });
    }
  });

  it('waits as long as Retry-After says before asking again for a page answered 429', async () => {
    const emulator = await emulatorFor({ records: records(30) });
    emulator.setFaults({ rateLimit: { requestsPerSecond: 3 } });

    const pages = await allPages(
      clientFor(emulator, { pageSize: 3 }, { rateLimitResend: none }).listUsers(mapped),
    );

    expect(pages.flat()).toHaveLength(30);
    const log = emulator.requestLog();
    const limited = log.filter((entry) => entry.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    for (const refusal of limited) {
      const retry = log[log.indexOf(refusal) + 1];
      expect(retry && pageQuery(retry)).toBe(pageQuery(refusal));
      // The emulator advises one second. A timer may fire a millisecond or two early.
      const waited = Date.parse(retry!.at) - Date.parse(refusal.at);
      expect(waited).toBeGreaterThanOrEqual(990);
    }
  }, 60_000);

  it('stops at once with ServiceNowUnauthorized when the password stops working mid-scan', async () => {
    const account = { userName: apiUser, password: apiPassword };
    const emulator = await emulatorFor({ accounts: [account], records: records(30) });
    const pages = clientFor(emulator, { pageSize: 10 }, { pageRetry: quick }).listUsers(mapped);

    await pages.next();
    account.password = 'rotated-by-someone-else';
    const error = await rejectionOf(pages.next());

    expect(error).toMatchObject({ type: 'ServiceNowUnauthorized', retryable: false, status: 401 });
    expect(emulator.requestLog().map((entry) => entry.status)).toEqual([200, 401]);
  });

  it('gives up on a page that keeps failing after the retries allowed, with the last error', async () => {
    const emulator = await emulatorFor({ records: records(30) });
    const pages = clientFor(emulator, { pageSize: 10 }, { pageRetry: { ...quick, maxRetries: 4 } }).listUsers(
      mapped,
    );
    await pages.next();
    emulator.setFaults({ errorRate: 1, seed: 5 });

    const error = (await rejectionOf(pages.next())) as ServiceNowError;

    const failed = emulator.requestLog().filter(faulted);
    expect(failed).toHaveLength(5);
    expect(new Set(failed.map(pageQuery)).size).toBe(1);
    expect(error).toMatchObject({ type: 'ServiceNowUnavailable', retryable: true });
    expect(error.status).toBe(failed.at(-1)?.status);
  });

  it('leaves a Retry-After longer than the wait allowed to the retry policy, without waiting', async () => {
    const emulator = await emulatorFor({ records: records(30) });
    emulator.setFaults({ rateLimit: { requestsPerSecond: 1 } });
    const client = clientFor(
      emulator,
      { pageSize: 10 },
      { pageRetry: { ...quick, maxWaitMs: 500 }, rateLimitResend: none },
    );

    const error = await rejectionOf(allPages(client.listUsers(mapped)));

    expect(error).toMatchObject({ type: 'ServiceNowRateLimited', retryable: true, retryAfterMs: 1000 });
    expect(emulator.requestLog().map((entry) => entry.status)).toEqual([200, 429]);
  });

  it('keeps the caller alive while it waits', async () => {
    const emulator = await emulatorFor({ records: records(6) });
    emulator.setFaults({ rateLimit: { requestsPerSecond: 1 } });
    const client = clientFor(
      emulator,
      { pageSize: 5 },
      { pageRetry: { keepAliveIntervalMs: 200 }, rateLimitResend: none },
    );
    let calls = 0;

    await allPages(client.listUsers(mapped, { keepAlive: () => (calls += 1) }));

    const waits = emulator.requestLog().filter((entry) => entry.status === 429).length;
    expect(waits).toBeGreaterThan(0);
    // Each one-second wait calls it when it starts and every 200 ms after.
    expect(calls).toBeGreaterThanOrEqual(waits * 5);
  }, 60_000);

  it('leaves lookups and writes to the activity: one request each, however the instance fails', async () => {
    const emulator = await emulatorFor({ records: records(3) });
    const client = clientFor(emulator, {}, { pageRetry: quick });
    emulator.setFaults({ errorRate: 1 });

    await rejectionOf(client.findUsersByUserName('someone', mapped));
    await rejectionOf(client.createUser(newUser(), mapped));

    expect(emulator.requestLog().map((entry) => entry.method)).toEqual(['GET', 'POST']);
  });
});
