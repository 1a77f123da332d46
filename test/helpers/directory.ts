import { Secret } from '../../src/config/secret.js';
import type { RunningSlapd } from '../../src/dev/slapd.js';
import type { DirectorySettings } from '../../src/directory/types.js';

export * from '../../src/dev/directory-fixtures.js';

/** Reader settings for this slapd as the product's configuration would give them; override any field. */
export function directorySettings(
  slapd: RunningSlapd,
  overrides: Partial<DirectorySettings> = {},
): DirectorySettings {
  return {
    type: 'openldap',
    url: slapd.url,
    bindDn: slapd.readerDn,
    bindPassword: new Secret(slapd.readerPassword, 'test fixture'),
    tls: { startTls: false, verifyCertificate: true },
    baseDn: slapd.peopleDn,
    groups: [],
    pageSize: 500,
    timeout: '10s',
    expiredAccountsDisabled: false,
    incremental: { enabled: false, pollInterval: '1s', lookback: '3s' },
    ...overrides,
  };
}
