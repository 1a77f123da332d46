import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { runCheckCommand } from '../../src/cli/check-command.js';
import type { CheckResult } from '../../src/cli/checks/check-result.js';
import { exitCodes } from '../../src/cli/exit-codes.js';
import type { Config } from '../../src/config/load.js';
import { Secret } from '../../src/config/secret.js';
import { freePort } from '../../src/dev/processes.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { startTemporal } from '../helpers/temporal.js';
import { captureOutput, hire } from './helpers.js';

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

/** Runs the checks with the stack's configuration, or a variant of it. */
async function check(s: Stack, change: (config: Config) => Config = (config) => config) {
  const out = captureOutput();
  const code = await runCheckCommand(change(s.config), { json: true }, out);
  const results = JSON.parse(out.text()) as CheckResult[];
  const line = (system: string, name: string) => results.find((r) => r.system === system && r.check === name);
  return { code, results, line };
}

const statuses = (results: readonly CheckResult[], system: string) =>
  results.filter((r) => r.system === system).map((r) => r.status);

describe('provisioner check', () => {
  test('passes every check of a healthy stack, one line each, and changes no account', async () => {
    const s = (stack = await startStack(temporal));
    await hire(s.slapd, 'checked');
    const before = s.emulator.records('sys_user');

    const { code, results, line } = await check(s);

    expect(code).toBe(exitCodes.ok);
    expect(results.map((r) => `${r.status} ${r.system} ${r.check}`)).toEqual([
      'pass directory bind',
      'pass directory read base DN',
      'pass directory mapped attributes',
      'pass directory users in scope',
      'pass servicenow credentials',
      'pass servicenow read sys_user',
      'pass servicenow write sys_user',
      'pass servicenow mapped fields',
      'pass temporal connection',
      'pass temporal namespace',
      'pass temporal search attributes',
    ]);
    expect(line('directory', 'users in scope')?.detail).toMatch(/^1 users in scope/);
    expect(line('directory', 'mapped attributes')?.detail).toMatch(
      /^the schema defines every mapped attribute \(uid, /,
    );
    expect(line('servicenow', 'mapped fields')?.detail).toContain(Object.keys(s.config.mapping.fields)[0]);
    expect(s.emulator.records('sys_user')).toEqual(before);

    const text = captureOutput();
    await runCheckCommand(s.config, {}, text);
    expect(text.text()).toMatch(/^pass +directory +bind +bound to ldap:\/\/127\.0\.0\.1:\d+ as cn=reader/);
  });

  test('fails the directory with the reason when slapd is down, and still checks the others', async () => {
    const s = (stack = await startStack(temporal));
    await s.slapd.kill();

    const { code, results, line } = await check(s);

    expect(code).toBe(exitCodes.failed);
    expect(statuses(results, 'directory')).toEqual(['fail', 'skip', 'skip', 'skip']);
    expect(line('directory', 'bind')?.detail).toMatch(/cannot reach the server/);
    expect(line('directory', 'read base DN')?.detail).toBe('not tried: bind failed');
    expect(statuses(results, 'servicenow')).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(statuses(results, 'temporal')).toEqual(['pass', 'pass', 'pass']);
  });

  test('fails ServiceNow when it is down, and names a wrong password as a credentials failure', async () => {
    const s = (stack = await startStack(temporal));
    const wrong = await check(s, (c) => ({
      ...c,
      servicenow: {
        ...c.servicenow,
        auth: {
          type: 'basic',
          username: 'svc.provisioning',
          password: new Secret('not-the-password', 'test'),
        },
      },
    }));
    await s.emulator.close();
    const down = await check(s);

    expect(wrong.code).toBe(exitCodes.failed);
    expect(statuses(wrong.results, 'servicenow')).toEqual(['fail', 'skip', 'skip', 'skip']);
    expect(wrong.line('servicenow', 'credentials')?.detail).toMatch(/401/);
    expect(wrong.line('servicenow', 'credentials')?.detail).not.toContain('not-the-password');
    expect(statuses(down.results, 'servicenow')).toEqual(['fail', 'skip', 'skip', 'skip']);
    expect(statuses(down.results, 'directory')).toEqual(['pass', 'pass', 'pass', 'pass']);
  });

  test('fails a mapped field that sys_user does not have, naming it, and writes nothing', async () => {
    const s = (stack = await startStack(temporal));
    const before = s.emulator.records('sys_user');
    const misspelt = await check(s, (c) => ({
      ...c,
      mapping: { ...c.mapping, fields: { ...c.mapping.fields, titel: 'title' } },
    }));

    expect(misspelt.code).toBe(exitCodes.failed);
    expect(statuses(misspelt.results, 'servicenow')).toEqual(['pass', 'pass', 'pass', 'fail']);
    expect(misspelt.line('servicenow', 'mapped fields')?.detail).toMatch(
      /without titel: it is not a sys_user field/,
    );
    expect(s.emulator.records('sys_user')).toEqual(before);
  });

  test('fails a mapped attribute that the directory schema does not define, naming its setting', async () => {
    const s = (stack = await startStack(temporal));
    const misspelt = await check(s, (c) => ({
      ...c,
      mapping: { ...c.mapping, fields: { ...c.mapping.fields, title: 'titel' } },
    }));

    expect(misspelt.code).toBe(exitCodes.failed);
    expect(statuses(misspelt.results, 'directory')).toEqual(['pass', 'pass', 'fail', 'skip']);
    expect(misspelt.line('directory', 'mapped attributes')?.detail).toBe(
      "mapping.fields.title: the directory's schema has no attribute titel",
    );
  });

  test('fails Temporal when nothing answers at its address, or the namespace does not exist', async () => {
    const s = (stack = await startStack(temporal));
    const closed = `127.0.0.1:${await freePort()}`;

    const down = await check(s, (c) => ({ ...c, temporal: { ...c.temporal, address: closed } }));
    const noNamespace = await check(s, (c) => ({ ...c, temporal: { ...c.temporal, namespace: 'nowhere' } }));

    expect(statuses(down.results, 'temporal')).toEqual(['fail', 'skip', 'skip']);
    expect(down.line('temporal', 'connection')?.detail).toContain(`cannot reach Temporal at ${closed}`);
    expect(statuses(noNamespace.results, 'temporal')).toEqual(['pass', 'fail', 'skip']);
    expect(noNamespace.line('temporal', 'namespace')?.detail).toMatch(/nowhere/);
    expect(statuses(down.results, 'directory')).toEqual(['pass', 'pass', 'pass', 'pass']);
  });
});
