import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sshaHash } from '../../src/dev/slapd-config.js';
import { reconcileProgressQuery } from '../../src/workflows/definitions.js';
import { addPerson, addToGroup, asAdmin } from '../helpers/directory.js';
import { eventually } from '../helpers/eventually.js';
import { startStack, type Stack, type StackOptions } from '../helpers/stack.js';
import { startTemporal } from '../helpers/temporal.js';

/**
 * Every way a directory read can go wrong without saying so at the protocol level ends the same:
 * the reconcile fails loudly with a typed error, or waits for an operator, and no account is
 * disabled or otherwise written.
 */
let temporal: TestWorkflowEnvironment;
let stack: Stack | undefined;

beforeAll(async () => {
  temporal = await startTemporal();
});
afterAll(async () => {
  await temporal?.teardown();
});
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

/** A stack whose two users have accounts from a first, clean reconcile. */
async function withTwoAccounts(options: StackOptions = {}): Promise<Stack> {
  stack = await startStack(temporal, options);
  for (const uid of ['ann', 'bob']) await hire(stack, uid);
  await stack.reconcile();
  expect(activeOf(stack)).toEqual(['true', 'true']);
  return stack;
}

async function hire(s: Stack, uid: string, extra: Record<string, string | string[]> = {}): Promise<void> {
  const dn = await addPerson(s.slapd, { uid, givenName: 'Pat', sn: uid, ...extra });
  await addToGroup(s.slapd, 'servicenow-users', dn);
}

const activeOf = (s: Stack) => ['ann', 'bob'].map((uid) => s.account(uid)?.active);

/** Starts a reconcile and returns the type and message of its first failed attempt, then ends it. */
async function firstFailure(s: Stack): Promise<string> {
  const run = await s.startReconcile();
  try {
    return await eventually(() => failureOf(run), 30_000);
  } finally {
    await run.terminate('the test has seen the failure').catch(() => undefined);
  }
}

async function failureOf(run: WorkflowHandle): Promise<string> {
  const { raw, status } = await run.describe();
  if (status.name === 'FAILED') {
    const error = await run.result().catch((e: unknown) => e as { cause?: { cause?: Error } });
    const cause = (error as { cause?: { cause?: { type?: string; message?: string } } }).cause?.cause;
    return `${cause?.type}: ${cause?.message}`;
  }
  const failure = raw.pendingActivities?.find((a) => a.lastFailure)?.lastFailure;
  if (!failure) throw new Error('no failed attempt yet');
  return `${failure.applicationFailureInfo?.type}: ${failure.message}`;
}

function expectNothingWritten(s: Stack, writesBefore: number): void {
  expect(s.writes().slice(writesBefore)).toEqual([]);
  expect(activeOf(s)).toEqual(['true', 'true']);
}

describe('a reconcile whose directory read is unsafe', () => {
  test('fails with size-limit, and disables nobody, when the server stops at its size limit', async () => {
    const s = await withTwoAccounts({ slapd: { sizeLimit: 3 } });
    await hire(s, 'cat');
    await hire(s, 'dan');
    const writes = s.writes().length;

    expect(await firstFailure(s)).toMatch(/^Directory:size-limit: .*ou=people/);
    expectNothingWritten(s, writes);
  });

  test('fails with time-limit, and disables nobody, when the server stops at its time limit', async () => {
    const s = await withTwoAccounts({ slapd: { faultInjection: true } });
    await addPerson(s.slapd, {
      uid: 'slow',
      givenName: 'S',
      sn: 'Low',
      objectClass: ['inetOrgPerson', 'errAuxObject'],
      errCode: '3',
      errOp: 'search',
    });
    const writes = s.writes().length;

    expect(await firstFailure(s)).toMatch(/^Directory:time-limit: /);
    expectNothingWritten(s, writes);
  });

  test('fails with incomplete-read, and disables nobody, when the connection drops in the middle of the scan', async () => {
    const s = await withTwoAccounts({ slapd: { faultInjection: true } });
    await addPerson(s.slapd, {
      uid: 'cut',
      givenName: 'C',
      sn: 'Ut',
      objectClass: ['inetOrgPerson', 'errAuxObject'],
      errCode: '0',
      errOp: 'search',
      errDisconnect: 'TRUE',
    });
    const writes = s.writes().length;

    expect(await firstFailure(s)).toMatch(/^Directory:incomplete-read: .*read cut short/);
    expectNothingWritten(s, writes);
  });

  test('fails with unreachable, and disables nobody, while the server is down', async () => {
    const s = await withTwoAccounts();
    await s.slapd.kill();
    const writes = s.writes().length;

    expect(await firstFailure(s)).toMatch(/^Directory:unreachable: /);
    expectNothingWritten(s, writes);
  });

  test('fails at once with base-not-found, and disables nobody, when the base DN is missing', async () => {
    const s = await withTwoAccounts();
    await s.reconfigure({ directory: { baseDn: `ou=staff,${s.slapd.suffix}` } });
    const writes = s.writes().length;

    await expect(s.reconcile()).rejects.toMatchObject({
      cause: { cause: { type: 'Directory:base-not-found', nonRetryable: true } },
    });
    expectNothingWritten(s, writes);
  });

  test('fails at once with base-not-found, and disables nobody, for a bind that may read nothing', async () => {
    const s = await withTwoAccounts();
    await s.reconfigure({ directory: await bindAs(s, 'blind') });
    const writes = s.writes().length;

    await expect(s.reconcile()).rejects.toMatchObject({
      cause: { cause: { type: 'Directory:base-not-found' } },
    });
    expectNothingWritten(s, writes);
  });

  test('holds every disable for an operator, for a bind that sees the base DN but no user in it', async () => {
    const acl = [
      'access to dn.base="ou=people,dc=example,dc=com" by dn.exact="cn=peeker,dc=example,dc=com" read by * break',
    ];
    const s = await withTwoAccounts({ slapd: { acl } });
    await s.reconfigure({ directory: await bindAs(s, 'peeker') });
    const writes = s.writes().length;

    const run = await s.startReconcile();
    await eventually(async () =>
      expect((await run.query(reconcileProgressQuery)).stage).toBe('awaiting-approval'),
    );
    await run.terminate('the test has seen the hold');
    expectNothingWritten(s, writes);
  });
});

/** An account `cn=<name>` with a password, and the directory settings that bind as it. */
async function bindAs(s: Stack, name: string): Promise<Record<string, unknown>> {
  const dn = `cn=${name},${s.slapd.suffix}`;
  const password = `${name}-password`;
  await asAdmin(s.slapd, (c) =>
    c.add(dn, {
      objectClass: ['applicationProcess', 'simpleSecurityObject'],
      cn: name,
      userPassword: sshaHash(password),
    }),
  );
  const file = join(tmpdir(), `bind-${name}-${process.pid}-${Date.now()}`);
  await writeFile(file, password, { mode: 0o600 });
  return { bindDn: dn, bindPassword: { file } };
}
