import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createServer, type Server } from 'node:net';
import { exitCodes } from '../../src/cli/exit-codes.js';
import { freePort } from '../../src/dev/processes.js';
import { startSlapd, type RunningSlapd } from '../../src/dev/slapd.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { integrationAccount } from '../helpers/accounts.js';
import { startTemporal } from '../helpers/temporal.js';
import { runCli, stackTraceLine, writeConfig } from './helpers/cli.js';

let temporal: TestWorkflowEnvironment;
let slapd: RunningSlapd;
let emulator: RunningEmulator;
/** Accepts connections and never answers: what a hung server or a firewall that drops looks like. */
let silent: Server;
let silentAddress: string;
let closedAddress: string;

beforeAll(async () => {
  [temporal, slapd, emulator] = await Promise.all([
    startTemporal(),
    startSlapd(),
    startEmulator({ accounts: [integrationAccount, hiddenAccount] }),
  ]);
  silent = createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentAddress = `127.0.0.1:${(silent.address() as { port: number }).port}`;
  closedAddress = `127.0.0.1:${await freePort()}`;
});

afterAll(async () => {
  silent?.close();
  await emulator?.close();
  await slapd?.stop();
  await temporal?.teardown();
});

const unknownHost = 'no-such-host.invalid';
/** An API account whose own sys_user record it cannot see, as an instance's ACLs may hide it. */
const hiddenAccount = { userName: 'svc.hidden', password: 'hidden-account-password' };
const wrongPassword = 'not-the-right-password';

/** A configuration where everything is up, with `changes` applied to one section. */
function config(changes: { directory?: object; servicenow?: object; temporal?: object } = {}) {
  return {
    directory: {
      type: 'openldap',
      url: slapd.url,
      bindDn: slapd.readerDn,
      bindPassword: { env: 'LDAP_PASSWORD' },
      baseDn: slapd.peopleDn,
      timeout: '3s',
      ...changes.directory,
    },
    servicenow: {
      instanceUrl: emulator.url,
      auth: { type: 'basic', username: integrationAccount.userName, password: { env: 'SN_PASSWORD' } },
      timeout: '3s',
      ...changes.servicenow,
    },
    temporal: { address: temporal.address, taskQueue: 'unreachable-test', ...changes.temporal },
  };
}

/**
 * Runs `worker` and `reconcile` with the configuration and expects each to stop at once with exit
 * code 1 and the one line `error: cannot start: <expected>`: no stack trace, no secret, nothing else.
 */
async function bothRefuseToStart(
  configuration: object,
  expected: RegExp,
  env: Record<string, string> = {},
): Promise<void> {
  const file = writeConfig(configuration as Record<string, unknown>);
  const secrets = { LDAP_PASSWORD: slapd.readerPassword, SN_PASSWORD: integrationAccount.password, ...env };
  const results = await Promise.all([
    runCli(['-c', file, 'worker'], secrets),
    runCli(['-c', file, 'reconcile'], secrets),
  ]);

  for (const { code, stdout, stderr } of results) {
    expect({ code, stdout }).toEqual({ code: exitCodes.failed, stdout: '' });
    expect(stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(expected)]);
    expect(stderr).not.toMatch(stackTraceLine);
    for (const secret of Object.values(secrets)) expect(stderr).not.toContain(secret);
  }
}

const port = (address: string) => address.split(':')[1]!;

describe('the directory is not usable at start', () => {
  test('a closed port is named as a refused connection', async () => {
    const url = `ldap://${closedAddress}`;
    await bothRefuseToStart(
      config({ directory: { url } }),
      new RegExp(`^error: cannot start: directory ${url}: connection refused \\(ECONNREFUSED\\)$`),
    );
  });

  test('a server that never answers is named as a timeout', async () => {
    const url = `ldap://${silentAddress}`;
    await bothRefuseToStart(
      config({ directory: { url } }),
      new RegExp(`^error: cannot start: directory ${url}: no answer within 3 s \\(timeout\\)$`),
    );
  });

  test('an unknown host name is named as a DNS failure', async () => {
    await bothRefuseToStart(
      config({ directory: { url: `ldap://${unknownHost}:389` } }),
      /^error: cannot start: directory ldap:\/\/no-such-host\.invalid:389: host name not found \(DNS: E[A-Z_]+\)$/,
    );
  });

  test('a wrong bind password is named as bad credentials, without the password', async () => {
    await bothRefuseToStart(
      config(),
      /^error: cannot start: directory ldap:\S+: bad credentials: the bind as cn=reader,\S+ was refused: invalid credentials \(LDAP result 49\)$/,
      { LDAP_PASSWORD: wrongPassword },
    );
  });
});

describe('ServiceNow is not usable at start', () => {
  test('a closed port is named as a refused connection', async () => {
    await bothRefuseToStart(
      config({ servicenow: { instanceUrl: `http://${closedAddress}` } }),
      /^error: cannot start: ServiceNow http:\/\/127\.0\.0\.1:\d+: connection refused \(ECONNREFUSED\)$/,
    );
  });

  test('an instance that never answers is named as a timeout', async () => {
    await bothRefuseToStart(
      config({ servicenow: { instanceUrl: `http://${silentAddress}` } }),
      new RegExp(
        `^error: cannot start: ServiceNow http://127\\.0\\.0\\.1:${port(silentAddress)}: no answer within 3 s \\(timeout\\)$`,
      ),
    );
  });

  test('an unknown host name is named as a DNS failure', async () => {
    await bothRefuseToStart(
      config({ servicenow: { instanceUrl: `https://${unknownHost}` } }),
      /^error: cannot start: ServiceNow https:\/\/no-such-host\.invalid: host name not found \(DNS: E[A-Z_]+\)$/,
    );
  });

  test('a wrong password is named as bad credentials, without the password', async () => {
    await bothRefuseToStart(
      config(),
      /^error: cannot start: ServiceNow http:\S+: bad credentials: GET sys_user answered 401\b/,
      { SN_PASSWORD: wrongPassword },
    );
  });

  test('a mapped field that sys_user does not have is named, before any reconcile reads or writes', async () => {
    await bothRefuseToStart(
      { ...config(), mapping: { fields: { first_name: 'givenName', titel: 'title' } } },
      /^error: cannot start: ServiceNow http:\S+: mapping\.fields: GET sys_user returned rows without titel: it is not a sys_user field, or this account may not read it$/,
    );
  });

  test('a mapped attribute the directory schema does not define, or knows by another name, is named with its setting', async () => {
    await bothRefuseToStart(
      {
        ...config(),
        mapping: {
          fields: {
            first_name: 'givenName',
            title: 'titel',
            last_name: 'surname',
            email: { template: '{uid}@{mial}' },
          },
        },
      },
      /^error: cannot start: directory ldap:\S+: mapping\.fields\.title: the directory's schema has no attribute titel; mapping\.fields\.last_name: surname is another name of sn, which the directory answers with: map sn; mapping\.fields\.email: the directory's schema has no attribute mial$/,
    );
  });

  test('a misspelt mapped field is named even when the integration account cannot see its own record', async () => {
    const hidden = { type: 'basic', username: hiddenAccount.userName, password: { env: 'SN_PASSWORD' } };
    await bothRefuseToStart(
      { ...config({ servicenow: { auth: hidden } }), mapping: { fields: { titel: 'title' } } },
      /^error: cannot start: ServiceNow http:\S+: mapping\.fields: GET sys_user returned rows without titel\b/,
      { SN_PASSWORD: hiddenAccount.password },
    );
  });

  test('a wrong OAuth client secret is named as bad credentials, without the secret', async () => {
    const oauth = {
      type: 'oauth',
      clientId: 'emulator',
      clientSecret: { env: 'SN_CLIENT_SECRET' },
      username: integrationAccount.userName,
      password: { env: 'SN_PASSWORD' },
    };
    await bothRefuseToStart(
      config({ servicenow: { auth: oauth } }),
      /^error: cannot start: ServiceNow http:\S+: bad credentials: .*\b(401|400)\b/,
      { SN_CLIENT_SECRET: 'not-the-client-secret' },
    );
  });
});

describe('Temporal is not usable at start', () => {
  test('a closed port is named as a refused connection', async () => {
    await bothRefuseToStart(
      config({ temporal: { address: closedAddress } }),
      new RegExp(`^error: cannot start: Temporal ${closedAddress}: connection refused \\(ECONNREFUSED\\)$`),
    );
  });

  test('a server that never answers is named as a timeout', async () => {
    await bothRefuseToStart(
      config({ temporal: { address: silentAddress } }),
      new RegExp(`^error: cannot start: Temporal ${silentAddress}: no answer within 5 s \\(timeout\\)$`),
    );
  });

  test('an unknown host name is named as a DNS failure', async () => {
    await bothRefuseToStart(
      config({ temporal: { address: `${unknownHost}:7233` } }),
      /^error: cannot start: Temporal no-such-host\.invalid:7233: host name not found \(DNS: E[A-Z_]+\)$/,
    );
  });

  test('a namespace that does not exist is named', async () => {
    await bothRefuseToStart(
      config({ temporal: { namespace: 'nowhere' } }),
      /^error: cannot start: Temporal 127\.0\.0\.1:\d+: namespace "nowhere" not found$/,
    );
  });
});

test('with all three down, each is named on its own line', async () => {
  const file = writeConfig(
    config({
      directory: { url: `ldap://${closedAddress}` },
      servicenow: { instanceUrl: `http://${closedAddress}` },
      temporal: { address: closedAddress },
    }),
  );
  const { code, stderr } = await runCli(['-c', file, 'worker'], { LDAP_PASSWORD: 'x', SN_PASSWORD: 'y' });

  expect(code).toBe(exitCodes.failed);
  expect(stderr.trimEnd().split('\n')).toEqual([
    'error: cannot start:',
    expect.stringMatching(/^ {2}directory ldap:\S+: connection refused/),
    expect.stringMatching(/^ {2}ServiceNow http:\S+: connection refused/),
    expect.stringMatching(/^ {2}Temporal \S+: connection refused/),
  ]);
});
