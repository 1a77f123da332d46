import { Writable } from 'node:stream';
import { pino } from 'pino';
import { stringify } from 'yaml';
import { parseConfig } from '../../src/config/load.js';
import { warnAboutUnverifiedTls } from '../../src/startup/tls-warnings.js';

/** What the worker logs at start about certificate checks, for a configuration with `changes`. */
function startWarnings(changes: {
  directoryTls?: object;
  servicenow?: object;
}): Array<Record<string, unknown>> {
  const text = stringify({
    directory: {
      type: 'openldap',
      url: 'ldaps://ldap.example.com:636',
      bindDn: 'cn=reader,dc=example,dc=com',
      bindPassword: { env: 'LDAP_PASSWORD' },
      baseDn: 'ou=people,dc=example,dc=com',
      tls: changes.directoryTls ?? {},
    },
    servicenow: {
      instanceUrl: 'https://example.service-now.com',
      auth: { type: 'basic', username: 'svc', password: { env: 'SN_PASSWORD' } },
      ...changes.servicenow,
    },
  });
  const config = parseConfig(text, 'test', {
    LDAP_PASSWORD: 'ldap-secret-value',
    SN_PASSWORD: 'sn-secret-value',
  });
  const lines: string[] = [];
  const log = pino(
    { level: 'debug' },
    new Writable({ write: (chunk, _e, done) => done(void lines.push(String(chunk))) }),
  );
  warnAboutUnverifiedTls(config, log);
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('the warning at start when a certificate is not verified', () => {
  test('says nothing while both certificates are verified, as they are by default', () => {
    expect(startWarnings({})).toEqual([]);
  });

  test('names each connection whose verification was turned off, as a warning, and no secret', () => {
    const warnings = startWarnings({
      directoryTls: { verifyCertificate: false },
      servicenow: { verifyCertificate: false },
    });

    expect(warnings).toEqual([
      expect.objectContaining({
        level: 40,
        msg: 'directory server certificate is not verified',
        url: 'ldaps://ldap.example.com:636',
      }),
      expect.objectContaining({
        level: 40,
        msg: 'servicenow server certificate is not verified',
        url: 'https://example.service-now.com',
      }),
    ]);
    expect(JSON.stringify(warnings)).not.toMatch(/secret-value/);
  });
});
