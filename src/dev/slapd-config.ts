import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';

/** The accounts and containers every throwaway slapd has. */
export interface SlapdLayout {
  suffix: string;
  adminDn: string;
  adminPassword: string;
  readerDn: string;
  readerPassword: string;
  peopleDn: string;
  groupsDn: string;
}

/** What slapd.conf is made of; see SlapdOptions for the meaning of each. */
export interface SlapdConfigOptions {
  sizeLimit?: number | 'unlimited';
  faultInjection?: boolean;
  acl?: string[];
  tls?: { certFile: string; keyFile: string };
  idleTimeout?: number;
  directoryKinds?: boolean;
  referentialIntegrity?: boolean;
  /** File holding the directory-kinds schema, written next to slapd.conf. */
  kindsSchemaFile?: string;
}

const schemas = ['core', 'cosine', 'inetorgperson', 'nis'];

/** slapd.conf for one throwaway server: one mdb database, ppolicy, and the overlays the options ask for. */
export function slapdConfig(
  c: SlapdLayout & { configDir: string; dataDir: string; options: SlapdConfigOptions },
): string {
  const { options } = c;
  const faults = options.faultInjection === true;
  const refint = options.referentialIntegrity === true;
  return [
    ...schemas.map((name) => `include /etc/ldap/schema/${name}.schema`),
    ...(options.kindsSchemaFile ? [`include ${options.kindsSchemaFile}`] : []),
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    'moduleload ppolicy',
    ...(faults ? ['moduleload retcode'] : []),
    ...(refint ? ['moduleload refint'] : []),
    `pidfile ${join(c.configDir, 'slapd.pid')}`,
    `argsfile ${join(c.configDir, 'slapd.args')}`,
    `sizelimit ${options.sizeLimit ?? 'unlimited'}`,
    ...(options.idleTimeout === undefined ? [] : [`idletimeout ${options.idleTimeout}`]),
    ...(options.tls
      ? [`TLSCertificateFile ${options.tls.certFile}`, `TLSCertificateKeyFile ${options.tls.keyFile}`]
      : []),
    'database mdb',
    `suffix "${c.suffix}"`,
    `rootdn "${c.adminDn}"`,
    `rootpw ${sshaHash(c.adminPassword)}`,
    `directory ${c.dataDir}`,
    // A sparse file: room for a few hundred thousand entries without using the disk up front.
    'maxsize 8589934592',
    'index objectClass,uid,memberUid,member,uniqueMember,entryUUID eq',
    'index modifyTimestamp,entryCSN eq',
    'overlay ppolicy',
    ...(faults ? ['overlay retcode', `retcode-parent "ou=retcodes,${c.suffix}"`, 'retcode-indir'] : []),
    // Renames and deletions rewrite the member DNs that name the entry, as most deployments have it.
    ...(refint ? ['overlay refint', 'refint_attributes member uniqueMember'] : []),
    ...(options.acl ?? []),
    'access to attrs=userPassword by self write by anonymous auth by * none',
    `access to * by dn.exact="${c.readerDn}" read by * none`,
    '',
  ].join('\n');
}

/** The base entries the LDIF does not define (before it), the LDIF, then the reader account. */
export function initialLdif(s: SlapdLayout, ldif: string): string {
  const defines = (dn: string) => new RegExp(`^dn:\\s*${escapeRegExp(dn)}\\s*$`, 'im').test(ldif);
  const entry = (dn: string, lines: string[]) => {
    const [attribute = '', value = ''] = (dn.split(',')[0] ?? '').split('=');
    return defines(dn) ? '' : [`dn: ${dn}`, ...lines, `${attribute.trim()}: ${value.trim()}`].join('\n');
  };
  const reader = ['objectClass: applicationProcess', 'objectClass: simpleSecurityObject'];

  return [
    entry(s.suffix, suffixClasses(s.suffix)),
    entry(s.peopleDn, ['objectClass: organizationalUnit']),
    entry(s.groupsDn, ['objectClass: organizationalUnit']),
    ldif.trim(),
    entry(s.readerDn, [...reader, `userPassword: ${sshaHash(s.readerPassword)}`]),
  ]
    .filter((block) => block !== '')
    .join('\n\n')
    .concat('\n');
}

/** A salted SHA-1 password hash, the form slapd.conf and userPassword accept. */
export function sshaHash(password: string): string {
  const salt = randomBytes(8);
  const digest = createHash('sha1').update(password).update(salt).digest();
  return `{SSHA}${Buffer.concat([digest, salt]).toString('base64')}`;
}

function suffixClasses(suffix: string): string[] {
  const [attribute = '', value = ''] = (suffix.split(',')[0] ?? '').split('=');
  switch (attribute.trim().toLowerCase()) {
    case 'dc':
      return ['objectClass: dcObject', 'objectClass: organization', `o: ${value.trim()}`];
    case 'o':
      return ['objectClass: organization'];
    case 'ou':
      return ['objectClass: organizationalUnit'];
    default:
      throw new Error(`slapd suffix ${suffix} must start with dc=, o= or ou=`);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
