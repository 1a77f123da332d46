import { ConfigError, parseConfig } from '../../src/config/load.js';

const withServiceNow = (servicenow: string) => `
directory:
  type: openldap
  url: ldap://127.0.0.1:3890
  bindDn: cn=reader,dc=example,dc=com
  bindPassword: { env: LDAP_PASSWORD }
  baseDn: ou=people,dc=example,dc=com
servicenow:
${servicenow}
`;
const env = { LDAP_PASSWORD: 'l', SN_SECRET: 'client-secret-value', SN_PASSWORD: 'user-password-value' };

const oauth = `  instanceUrl: https://example.service-now.com
  auth:
    type: oauth
    clientId: 3f2a9c
    clientSecret: { env: SN_SECRET }
    username: svc.provisioning
    password: { env: SN_PASSWORD }`;

describe('ServiceNow settings', () => {
  it('accepts OAuth credentials and loads both secrets', () => {
    const { auth } = parseConfig(withServiceNow(oauth), 'c.yaml', env).servicenow;

    expect(auth.type).toBe('oauth');
    if (auth.type !== 'oauth') return;
    expect(auth.clientSecret.reveal()).toBe('client-secret-value');
    expect(auth.password.reveal()).toBe('user-password-value');
    expect(JSON.stringify(auth)).not.toMatch(/client-secret-value|user-password-value/);
  });

  it('refuses an OAuth client secret written inline', () => {
    const text = withServiceNow(oauth.replace('{ env: SN_SECRET }', 'inline-secret'));

    expect(() => parseConfig(text, 'c.yaml', env)).toThrow(ConfigError);
  });

  it('leaves the request rate unlimited unless set, and takes a positive rate', () => {
    const unlimited = parseConfig(withServiceNow(oauth), 'c.yaml', env).servicenow;
    const paced = parseConfig(
      withServiceNow(`${oauth}\n  requestsPerSecond: 12.5`),
      'c.yaml',
      env,
    ).servicenow;

    expect(unlimited.requestsPerSecond).toBeUndefined();
    expect(paced.requestsPerSecond).toBe(12.5);
    expect(() => parseConfig(withServiceNow(`${oauth}\n  requestsPerSecond: 0`), 'c.yaml', env)).toThrow(
      /servicenow.requestsPerSecond/,
    );
  });
});
