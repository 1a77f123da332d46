import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, stackTraceLine, writeConfig, type CliResult } from './helpers/cli.js';

const valid = {
  directory: {
    type: 'openldap',
    url: 'ldap://127.0.0.1:3890',
    bindDn: 'cn=reader,dc=example,dc=com',
    bindPassword: { env: 'LDAP_PASSWORD' },
    baseDn: 'ou=people,dc=example,dc=com',
  },
  servicenow: {
    instanceUrl: 'http://127.0.0.1:8090',
    auth: { type: 'basic', username: 'svc.provisioning', password: { env: 'SN_PASSWORD' } },
  },
};
const secrets = { LDAP_PASSWORD: 'ldap-secret-value', SN_PASSWORD: 'sn-secret-value' };

/** Runs `provisioner -c <config> worker` and expects the usage exit code without a stack trace. */
async function refused(
  config: string | Record<string, unknown>,
  env: NodeJS.ProcessEnv = secrets,
): Promise<CliResult> {
  const result = await runCli(['-c', writeConfig(config), 'worker'], env);
  expect(result.code).toBe(2);
  expect(result.stderr).not.toMatch(stackTraceLine);
  expect(result.stdout).toBe('');
  return result;
}

describe('a configuration mistake, through the real CLI', () => {
  test('malformed YAML exits 2 with the line and column of the error', async () => {
    const { stderr } = await refused('directory:\n  type: openldap\n  url: [ldap://x\nservicenow: {}\n');
    expect(stderr).toMatch(/line \d+, column \d+: YAML syntax/);
  });

  test('a key given twice is a YAML error, not a silent override', async () => {
    const { stderr } = await refused('directory:\n  type: openldap\n  type: generic\nservicenow: {}\n');
    expect(stderr).toMatch(/unique/i);
  });

  test('every wrong type, unknown key and missing setting is named by its path at once', async () => {
    const config = {
      directory: {
        ...valid.directory,
        pageSize: 'many',
        bindDnn: 'cn=typo',
        tls: { verifyCertifcate: false },
      },
      servicenow: { auth: valid.servicenow.auth },
      switches: { create: 'yes' },
      surprise: true,
    };
    const { stderr } = await refused(config);
    expect(stderr).toContain('directory.pageSize: Invalid input: expected number, received string');
    expect(stderr).toContain('directory.bindDnn: unknown setting; did you mean "bindDn"?');
    expect(stderr).toContain(
      'directory.tls.verifyCertifcate: unknown setting; did you mean "verifyCertificate"?',
    );
    expect(stderr).toContain('servicenow.instanceUrl: required setting is missing');
    expect(stderr).toContain('switches.create: Invalid input: expected boolean');
    expect(stderr).toMatch(/ {2}- surprise: unknown setting; expected one of: directory, servicenow/);
  });

  test('a missing section is named, not reported as "received undefined"', async () => {
    const { stderr } = await refused({ directory: valid.directory });
    expect(stderr).toContain('servicenow: required setting is missing (expected object)');
    expect(stderr).not.toContain('received undefined');
  });

  test('secrets from unset variables and unreadable files are named by path, with the other mistakes', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'not-a-file-'));
    const config = {
      ...valid,
      switches: { create: 'yes' },
      servicenow: { ...valid.servicenow, auth: { ...valid.servicenow.auth, password: { file: folder } } },
    };
    const { stderr } = await refused(config, { ...secrets, LDAP_PASSWORD: '' });
    expect(stderr).toContain('directory.bindPassword.env: environment variable LDAP_PASSWORD is not set');
    expect(stderr).toContain(`servicenow.auth.password.file: cannot read ${folder} (EISDIR)`);
    expect(stderr).toContain('switches.create: Invalid input: expected boolean');
  });

  test('a password written in the file is refused without repeating it', async () => {
    const config = { ...valid, directory: { ...valid.directory, bindPassword: 'hunter2-inline' } };
    const { stderr } = await refused(config);
    expect(stderr).toContain('directory.bindPassword: a secret must come from');
    expect(stderr).not.toContain('hunter2-inline');
  });

  test('CA files that are missing or hold no certificate are named with their setting', async () => {
    const config = {
      ...valid,
      directory: { ...valid.directory, tls: { caFile: '/nonexistent/ca.pem' } },
      servicenow: { ...valid.servicenow, caFile: '/etc/hostname' },
    };
    const { stderr } = await refused(config);
    expect(stderr).toContain('directory.tls.caFile: cannot read /nonexistent/ca.pem (ENOENT)');
    expect(stderr).toContain('servicenow.caFile: /etc/hostname holds no PEM certificate');
  });

  test('a payload encryption key of the wrong form is refused without showing it', async () => {
    const config = { ...valid, payloadEncryption: { key: { env: 'PAYLOAD_KEY' } } };
    const { stderr } = await refused(config, { ...secrets, PAYLOAD_KEY: 'too-short-key-value' });
    expect(stderr).toContain('payloadEncryption.key: expected a 32-byte key');
    expect(stderr).not.toContain('too-short-key-value');
  });

  test('a configuration file that does not exist exits 2 naming it', async () => {
    const result = await runCli(['-c', '/nonexistent/provisioner.yaml', 'reconcile'], secrets);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('/nonexistent/provisioner.yaml');
    expect(result.stderr).toContain('ENOENT');
    expect(result.stderr).not.toMatch(stackTraceLine);
  });

  test('an unknown command-line option exits 2 without a stack trace', async () => {
    const result = await runCli(['worker', '--no-such-option'], secrets);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--no-such-option');
    expect(result.stderr).not.toMatch(stackTraceLine);
  });

  test('--version prints the version of package.json and exits 0', async () => {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const result = await runCli(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${manifest.version}\n`, stderr: '' });
  });

  test('a manual disable with an empty reason exits 2 before anything is sent', async () => {
    const result = await runCli(['-c', writeConfig(valid), 'disable', 'jsmith', '--reason', ' '], secrets);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--reason');
    expect(result.stderr).toContain('must not be empty');
  });

  test('a broken filter and a credential in the directory URL are refused at load, by path', async () => {
    const result = await refused({
      ...valid,
      directory: { ...valid.directory, url: 'ldap://reader:pw-in-url@127.0.0.1:3890', filter: '(uid=foo' },
    });
    expect(result.stderr).toContain('directory.filter');
    expect(result.stderr).toContain('directory.url');
    expect(result.stderr).not.toContain('pw-in-url');
  });
});
