import { inspect } from 'node:util';
import { ConfigError, parseConfig } from '../../src/config/load.js';

const valid = `
directory:
  type: openldap
  url: ldap://127.0.0.1:3890
  bindDn: cn=reader,dc=example,dc=com
  bindPassword: { env: LDAP_PASSWORD }
  baseDn: ou=people,dc=example,dc=com
servicenow:
  instanceUrl: http://127.0.0.1:8090
  auth: { type: basic, username: svc.provisioning, password: { env: SN_PASSWORD } }
`;
const env = { LDAP_PASSWORD: 'ldap-secret-value', SN_PASSWORD: 'sn-secret-value' };

function problemsOf(text: string, environment: NodeJS.ProcessEnv = env) {
  try {
    parseConfig(text, 'config.yaml', environment);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loading the configuration', () => {
  test('fills in the defaults, including the matching attribute for the directory type', () => {
    const config = parseConfig(valid, 'config.yaml', env);
    expect(config.mapping.userName).toBe('uid');
    expect(config.switches).toEqual({
      create: true,
      update: true,
      disable: true,
      provisionDisabledUsers: false,
    });
    expect(config.temporal.taskQueue).toBe('servicenow-provisioning');
    const ad = parseConfig(valid.replace('type: openldap', 'type: active-directory'), 'config.yaml', env);
    expect(ad.mapping.userName).toBe('sAMAccountName');
  });

  test('reports every problem with its path', () => {
    const broken = valid
      .replace('ldap://127.0.0.1:3890', 'http://nowhere')
      .replace('type: basic', 'type: magic');
    const problems = problemsOf(`${broken}\nswitches: { create: maybe }\nsurprise: 1\n`);
    expect(problems.map((p) => p.path).sort()).toEqual([
      'directory.url',
      'servicenow.auth.type',
      'surprise',
      'switches.create',
    ]);
    expect(problems.find((p) => p.path === 'surprise')?.message).toMatch(/unknown setting/);
  });

  test('refuses a broken LDAP filter, DN or Temporal address at load, each by its path', () => {
    const broken = valid
      .replace('baseDn: ou=people,dc=example,dc=com', 'baseDn: ou=people,,dc=example')
      .replace('bindDn: cn=reader,dc=example,dc=com', 'bindDn: not a dn');
    const problems = problemsOf(
      `${broken.replace('directory:\n', "directory:\n  filter: '(uid=foo'\n  groups: ['cn=staff,,x']\n  disabledFilter: 'a=b)('\n")}` +
        'temporal: { address: 127.0.0.1:notaport }\n',
    );
    expect(problems.map((p) => p.path).sort()).toEqual([
      'directory.baseDn',
      'directory.bindDn',
      'directory.disabledFilter',
      'directory.filter',
      'directory.groups.0',
      'temporal.address',
    ]);
    expect(problems.find((p) => p.path === 'directory.filter')?.message).toMatch(/Unbalanced parens/);
  });

  test('refuses credentials written into the directory or ServiceNow URL, without repeating them', () => {
    const problems = problemsOf(
      valid
        .replace('ldap://127.0.0.1:3890', 'ldap://reader:pw-in-url@127.0.0.1:3890')
        .replace('http://127.0.0.1:8090', 'https://svc:pw-in-url@example.service-now.com'),
    );
    expect(problems.map((p) => p.path).sort()).toEqual(['directory.url', 'servicenow.instanceUrl']);
    expect(JSON.stringify(problems)).not.toContain('pw-in-url');
  });

  test('refuses a password written inline in the file', () => {
    const problems = problemsOf(valid.replace('{ env: LDAP_PASSWORD }', 'hunter2'));
    expect(problems).toEqual([expect.objectContaining({ path: 'directory.bindPassword' })]);
    expect(JSON.stringify(problems)).not.toContain('hunter2');
  });

  test('names a secret whose environment variable is missing', () => {
    expect(problemsOf(valid, { SN_PASSWORD: 'x' })).toEqual([
      { path: 'directory.bindPassword.env', message: 'environment variable LDAP_PASSWORD is not set' },
    ]);
  });

  test('reports a secret reference with an empty name once, as the schema sees it', () => {
    const problems = problemsOf(valid.replace('{ env: LDAP_PASSWORD }', '{ env: "" }'));
    expect(problems).toEqual([expect.objectContaining({ path: 'directory.bindPassword.env' })]);
    expect(problems[0]?.message).toMatch(/at least 1|>=1/);
  });

  test('reports YAML syntax errors', () => {
    expect(problemsOf('directory: [unclosed')[0]?.message).toMatch(/YAML syntax/);
  });

  test('never prints a secret when the configuration is logged or serialised', () => {
    const config = parseConfig(valid, 'config.yaml', env);
    const printed = `${JSON.stringify(config)} ${inspect(config, { depth: 10 })} ${String(config.directory.bindPassword)}`;
    expect(printed).not.toContain('ldap-secret-value');
    expect(printed).not.toContain('sn-secret-value');
    expect(config.directory.bindPassword.reveal()).toBe('ldap-secret-value');
  });
});
