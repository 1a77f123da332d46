import type { WorkflowExecutionInfo } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { addPerson, addToGroup, lockPerson, modifyPerson, removeFromGroup } from '../helpers/directory.js';
import { integrationAccount } from '../helpers/accounts.js';
import { eventually } from '../helpers/eventually.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { startTemporal } from '../helpers/temporal.js';
import {
  manualDisableSignal,
  releaseSignal,
  searchAttributes,
  userWorkflowId,
} from '../../src/workflows/definitions.js';

/**
 * After a run that provisions, updates, disables, holds and fails users with OAuth to ServiceNow,
 * and then fails with wrong passwords on both sides, no secret shows anywhere an operator or an
 * attacker with access to Temporal could read: workflow histories (inputs, results, signals,
 * failures), search attributes, and every line the worker logged.
 */
let temporal: TestWorkflowEnvironment;
let stack: Stack | undefined;

beforeAll(async () => {
  temporal = await startTemporal();
});
afterAll(async () => {
  await stack?.stop();
  await temporal?.teardown();
});

const oauthClient = { clientId: 'provisioner-app', clientSecret: 'client-secret-7Qx2-do-not-leak' };
const wrong = { ldap: 'wrong-ldap-secret-Z81k', servicenow: 'wrong-sn-secret-Lm3p' };
const people = [
  { uid: 'ann', givenName: 'Annabel', sn: 'Quistorp', mail: 'annabel.quistorp@example.com' },
  { uid: 'bob', givenName: 'Bartholomew', sn: 'Yelverton', mail: 'b.yelverton@example.com' },
  { uid: 'cy', givenName: 'Cyprian', sn: 'Oakenshaw', mail: 'cyprian.o@example.com' },
];
// Longer than the 40 characters of user_name: ServiceNow refuses it and the user's workflow fails.
const tooLong = 'a-user-name-that-is-longer-than-forty-characters';

test('no password, client secret or token appears in any history, search attribute or log line after a full run', async () => {
  const lines: string[] = [];
  const log = pino(
    { level: 'debug' },
    new Writable({ write: (chunk, _e, done) => done(void lines.push(String(chunk))) }),
  );
  const s = (stack = await startStack(temporal, {
    log,
    emulator: { oauthClients: [oauthClient] },
    config: {
      servicenow: { auth: await oauthAuth(integrationAccount.password) },
      // The few users here leave one by one: the deprovision guard is not what this test is about.
      reconcile: { guard: { maxDisableShare: 1 } },
    },
  }));
  const dns: Record<string, string> = {};
  for (const person of [...people, { uid: tooLong, givenName: 'Lo', sn: 'Ng' }]) {
    dns[person.uid] = await addPerson(s.slapd, { ...person, title: 'Engineer' });
    await addToGroup(s.slapd, 'servicenow-users', dns[person.uid]!);
  }

  await s.reconcile();
  await addToGroup(
    s.slapd,
    'servicenow-users',
    await addPerson(s.slapd, { uid: 'dee', givenName: 'Dee', sn: 'Late' }),
  );
  await modifyPerson(s.slapd, 'cy', { title: 'Director' });
  await removeFromGroup(s.slapd, 'servicenow-users', dns.bob!);
  await s.reconcile();
  await lockPerson(s.slapd, 'dee');
  const ann = await userWorkflowOf(s, 'ann');
  await ann.signal(manualDisableSignal, { reason: 'security review', by: 'alice' });
  await eventually(() => expect(s.account('ann')?.active).toBe('false'));
  await ann.signal(releaseSignal);
  await s.reconcile();
  expect(s.account('ann')?.active).toBe('true');
  expect(s.account('bob')?.active).toBe('false');
  expect(s.account('dee')?.active).toBe('false');
  expect(s.account('cy')?.title).toBe('Director');
  const tokens = await currentTokens(s);

  // Wrong passwords: the reconciles fail, and their failures are recorded in the histories too.
  await s.reconfigure({ directory: { bindPassword: await secretFile(wrong.ldap) } });
  await failedAttempt(s);
  await s.reconfigure({ servicenow: { auth: await oauthAuth(wrong.servicenow) } });
  await failedAttempt(s);

  const secrets = [
    s.slapd.readerPassword,
    integrationAccount.password,
    oauthClient.clientSecret,
    tokens.access_token,
    tokens.refresh_token,
    wrong.ldap,
    wrong.servicenow,
  ];
  const executions = await allExecutions(s);
  const places = {
    histories: await Promise.all(executions.map((e) => historyText(e))),
    searchAttributes: executions.map((e) => JSON.stringify(e.searchAttributes)),
    logLines: lines,
  };
  expect(places.histories.length).toBeGreaterThan(8);
  // The scan reads what it must: payloads decoded (a signal's input) and the worker's decisions.
  expect(places.histories.join('\n')).toContain('security review');
  expect(places.logLines.join('')).toContain('account created');
  for (const [place, texts] of Object.entries(places)) {
    expect({ place, found: secretsIn(texts.join('\n'), secrets) }).toEqual({ place, found: [] });
  }
}, 300_000);

test('search attributes hold the user name and state, never a person’s name or email', async () => {
  const s = stack!;
  const values = (await allExecutions(s)).map((e) => JSON.stringify(e.searchAttributes)).join('\n');

  expect(values).toContain('ann');
  for (const person of people) {
    for (const text of [person.givenName, person.sn, person.mail]) expect(values).not.toContain(text);
  }
});

/** OAuth settings with the integration account and `password`, each secret read from a file. */
async function oauthAuth(password: string): Promise<Record<string, unknown>> {
  return {
    type: 'oauth',
    clientId: oauthClient.clientId,
    clientSecret: await secretFile(oauthClient.clientSecret),
    username: integrationAccount.userName,
    password: await secretFile(password),
  };
}

async function secretFile(value: string): Promise<{ file: string }> {
  const file = join(tmpdir(), `secret-${process.pid}-${Math.random().toString(36).slice(2)}`);
  await writeFile(file, value, { mode: 0o600 });
  return { file };
}

/**
 * The tokens the worker holds: while a token is valid, the instance hands the same one to the same
 * application and account, so asking again gives exactly what the worker was given.
 */
async function currentTokens(s: Stack): Promise<{ access_token: string; refresh_token: string }> {
  const response = await fetch(`${s.emulator.url}/oauth_token.do`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: oauthClient.clientId,
      client_secret: oauthClient.clientSecret,
      username: integrationAccount.userName,
      password: integrationAccount.password,
    }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { access_token: string; refresh_token: string };
}

async function userWorkflowOf(s: Stack, userName: string) {
  const query = `${searchAttributes.userName.name} = '${userName}' AND TaskQueue = '${s.config.temporal.taskQueue}'`;
  const found = await eventually(async () => {
    for await (const execution of temporal.client.workflow.list({ query })) return execution;
    throw new Error(`no workflow for ${userName} yet`);
  });
  expect(found.workflowId).toMatch(/^user-/);
  return temporal.client.workflow.getHandle(userWorkflowId(found.workflowId.slice('user-'.length)));
}

/**
 * Starts a reconcile and waits until it has failed (a permanent failure ends it) or an attempt of
 * one of its activities has (a retried one); a reconcile still running is then ended.
 */
async function failedAttempt(s: Stack): Promise<void> {
  const run = await s.startReconcile();
  const status = await eventually(async () => {
    const { raw, status } = await run.describe();
    if (status.name === 'FAILED' || raw.pendingActivities?.some((a) => a.lastFailure)) return status.name;
    throw new Error('no failed attempt yet');
  }, 60_000);
  if (status === 'RUNNING') await run.terminate('the test has seen the failure');
}

async function allExecutions(s: Stack): Promise<WorkflowExecutionInfo[]> {
  const executions: WorkflowExecutionInfo[] = [];
  const query = `TaskQueue = '${s.config.temporal.taskQueue}'`;
  for await (const execution of temporal.client.workflow.list({ query })) executions.push(execution);
  return executions;
}

/** Every string and every payload of a workflow run's history, payloads decoded as UTF-8. */
async function historyText(execution: WorkflowExecutionInfo): Promise<string> {
  const handle = temporal.client.workflow.getHandle(execution.workflowId, execution.runId);
  const texts: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') texts.push(value);
    else if (value instanceof Uint8Array) texts.push(Buffer.from(value).toString('utf8'));
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(await handle.fetchHistory());
  return texts.join('\n');
}

/** Which of `secrets` occur in `text`, as they are or encoded as a Basic authorization would carry them. */
function secretsIn(text: string, secrets: readonly string[]): string[] {
  const forms = (secret: string) => [
    secret,
    Buffer.from(secret).toString('base64'),
    Buffer.from(`${integrationAccount.userName}:${secret}`).toString('base64'),
    encodeURIComponent(secret),
  ];
  return secrets.filter((secret) => forms(secret).some((form) => text.includes(form)));
}
