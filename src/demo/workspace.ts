import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';

/** Where the demo keeps its configuration and secret files, inside the project and git-ignored. */
export const demoDir = resolve('.data/demo');

export interface DemoEndpoints {
  readonly temporalAddress: string;
  readonly ldapUrl: string;
  readonly readerDn: string;
  readonly readerPassword: string;
  readonly baseDn: string;
  readonly scopeGroup: string;
  readonly serviceNowUrl: string;
  readonly serviceNowUser: string;
  readonly serviceNowPassword: string;
}

/**
 * Writes the demo's configuration file, with the passwords in files beside it as an operator would
 * keep them, so `provisioner -c .data/demo/provisioner.yaml ...` works against the running demo.
 * Returns the configuration file's path.
 */
export function writeDemoConfig(endpoints: DemoEndpoints): string {
  const secrets = join(demoDir, 'secrets');
  mkdirSync(secrets, { recursive: true, mode: 0o700 });
  writeFileSync(join(secrets, 'ldap-password'), endpoints.readerPassword, { mode: 0o600 });
  writeFileSync(join(secrets, 'servicenow-password'), endpoints.serviceNowPassword, { mode: 0o600 });

  const config = {
    directory: {
      type: 'openldap',
      url: endpoints.ldapUrl,
      bindDn: endpoints.readerDn,
      bindPassword: { file: join(secrets, 'ldap-password') },
      baseDn: endpoints.baseDn,
      groups: [endpoints.scopeGroup],
    },
    servicenow: {
      instanceUrl: endpoints.serviceNowUrl,
      auth: {
        type: 'basic',
        username: endpoints.serviceNowUser,
        password: { file: join(secrets, 'servicenow-password') },
      },
    },
    mapping: {
      userName: 'uid',
      fields: {
        first_name: 'givenName',
        last_name: 'sn',
        email: 'mail',
        title: 'title',
        phone: 'telephoneNumber',
        employee_number: 'employeeNumber',
      },
    },
    temporal: {
      address: endpoints.temporalAddress,
      namespace: 'default',
      taskQueue: 'servicenow-provisioning',
    },
    reconcile: { interval: '15m' },
  };
  const path = join(demoDir, 'provisioner.yaml');
  writeFileSync(
    path,
    `# Written by \`npm run demo\`; points at the demo's own servers.\n${stringify(config)}`,
  );
  return path;
}
