import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Logger } from '../../src/log.js';
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
  test('fails with size-limit, and disables nobody, when OpenLDAP stops at its default limit of 500 in a scope of 600', async () => {
    stack = await startStack(temporal, {
      slapd: { sizeLimit: 500 },
      directory: { ldif: scopeLdif(600), scopeGroup: `cn=servicenow-users,ou=groups,${suffix}` },
      settleTimeoutMs: 300_000,
    });
    const s = stack;
    // The rootdn has no size limit: a first reconcile bound as it gives all 600 people an account.
    await s.reconfigure({ directory: await passwordBind(s.slapd.adminDn, s.slapd.adminPassword) });
    expect((await s.reconcile()).planned.create).toBe(600);
    await s.reconfigure({});
    const writes = s.writes().length;

    expect(await firstFailure(s)).toMatch(/^Directory:size-limit: .*ou=people/);
    expect(s.writes().slice(writes)).toEqual([]);
    const active = s.emulator.records('sys_user').filter((r) => /^p\d+$/.test(r.user_name ?? ''));
    expect(active.filter((r) => r.active === 'true')).toHaveLength(600);
  }, 600_000);

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

  test('fails with incomplete-read, and disables nobody, when the server dies in the middle of the scan', async () => {
    let armed = false;
    // slapd is killed as soon as the first page of users has arrived. The reader asked for the
    // second page as the first arrived, so the read may fail at a later page of users, or at the
    // group read that follows them (see cutShort).
    const log = afterFirstPage(() => armed && void stack?.slapd.kill());
    const s = await withTwoAccounts({ config: { directory: { pageSize: 1 } }, log });
    armed = true;
    const writes = s.writes().length;

    expect(await firstFailure(s)).toMatch(cutShort);
    expectNothingWritten(s, writes);
  });

  test('fails with incomplete-read, and disables nobody, when the server closes the bound connection as idle in the middle of the scan', async () => {
    // Anonymous may read the people here, as on many servers: a read that carried on as anonymous
    // after the server closed the bound connection would see entries, not an error.
    const acl = [`access to dn.subtree="ou=people,${suffix}" attrs=entry,uid,objectClass by * read`];
    let stall = false;
    // The worker stops for three seconds after the first page of users (a long GC pause, a busy
    // event loop): slapd closes the connection as idle meanwhile, and the next request fails.
    const log = afterFirstPage(() => stall && blockFor(3000));
    const s = await withTwoAccounts({
      slapd: { idleTimeout: 1, acl },
      config: { directory: { pageSize: 1 } },
      log,
    });
    stall = true;
    const writes = s.writes().length;

    expect(await firstFailure(s)).toMatch(cutShort);
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
    // It may read the people container and the scope group, whose members it sees, but no person.
    const peeker = 'dn.exact="cn=peeker,dc=example,dc=com"';
    const acl = [
      `access to dn.base="ou=people,dc=example,dc=com" by ${peeker} read by * break`,
      `access to dn.subtree="ou=groups,dc=example,dc=com" by ${peeker} read by * break`,
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

const suffix = 'dc=example,dc=com';

/** `count` people p0…pN-1 and the scope group cn=servicenow-users holding them all, for slapadd. */
function scopeLdif(count: number): string {
  const uids = Array.from({ length: count }, (_, i) => `p${i}`);
  const person = (uid: string) => [
    `dn: uid=${uid},ou=people,${suffix}`,
    'objectClass: inetOrgPerson',
    `uid: ${uid}`,
    `cn: P ${uid}`,
    'sn: P',
  ];
  const group = [
    `dn: cn=servicenow-users,ou=groups,${suffix}`,
    'objectClass: groupOfNames',
    'cn: servicenow-users',
    ...uids.map((uid) => `member: uid=${uid},ou=people,${suffix}`),
  ];
  return [...uids.map(person), group].map((lines) => lines.join('\n')).join('\n\n');
}

/**
 * A read cut short after its first page of users: at a later page of users, or at the read of the
 * scope group that comes after them, never as a finished read.
 */
const cutShort = /^Directory:incomplete-read: .*(ou=people.*page [2-9]|reading group cn=servicenow-users)/;

/**
 * A logger that runs `action` when the reader logs its first page of users, so a test can break the
 * directory between two pages of one scan.
 */
function afterFirstPage(action: () => void): Logger {
  return pino(
    { level: 'debug' },
    {
      write(line: string) {
        const { msg, page } = JSON.parse(line) as { msg: string; page?: number };
        if (msg === 'directory page read' && page === 1) action();
      },
    },
  );
}

/** Holds up this whole process, the worker's activities included, as a long pause would. */
function blockFor(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Directory settings that bind as `dn` with `password`, given through a file as an operator would. */
async function passwordBind(dn: string, password: string): Promise<Record<string, unknown>> {
  const file = join(tmpdir(), `bind-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  await writeFile(file, password, { mode: 0o600 });
  return { bindDn: dn, bindPassword: { file } };
}

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
  return passwordBind(dn, password);
}
