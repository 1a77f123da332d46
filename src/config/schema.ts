import { z } from 'zod';
import { normalizeDn } from '../directory/dn.js';
import { parseFilter } from '../directory/filter.js';

/** Directory products whose conventions (immutable id, disabled flag, login attribute) are built in. */
export const directoryTypes = ['openldap', 'active-directory', '389ds', 'pingdirectory', 'generic'] as const;
export type DirectoryType = (typeof directoryTypes)[number];

const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)$/, 'expected a duration such as "30s", "15m" or "2h"')
  .describe('duration');

const secretRef = z.union(
  [z.strictObject({ env: z.string().min(1) }), z.strictObject({ file: z.string().min(1) })],
  {
    error:
      'a secret must come from an environment variable ({ env: NAME }) or a file ({ file: PATH }), never inline',
  },
);

const dn = z
  .string()
  .trim()
  .min(1, 'expected a DN')
  .refine(parses(normalizeDn), { error: 'not a DN: expected attribute=value parts separated by commas' });

/** An LDAP filter (RFC 4515) checked whole, as the server would get it: a broken one is refused here, not at the first read. */
const ldapFilter = z
  .string()
  .trim()
  .min(1)
  .superRefine((filter, context) => {
    try {
      parseFilter(filter);
    } catch (error) {
      context.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
    }
  });

function parses(parse: (text: string) => unknown): (text: string) => boolean {
  return (text) => {
    try {
      parse(text);
      return true;
    } catch {
      return false;
    }
  };
}

/** `host:port` or `[IPv6]:port`, the port from 1 to 65535. */
function isHostAndPort(address: string): boolean {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+):(\d{1,5})$/i.exec(address);
  const port = Number(match?.[2]);
  return match !== null && port >= 1 && port <= 65_535;
}

/** Credentials in a URL would be printed wherever the URL is: they belong in the secret settings. */
const noCredentials = (url: string): boolean => !/^[a-z]+:\/\/[^/]*@/i.test(url);

const tls = z
  .strictObject({
    /** Upgrade a plain ldap:// connection with StartTLS. */
    startTls: z.boolean().default(false),
    /** PEM file with the CA certificates to trust, in addition to the system ones. */
    caFile: z.string().min(1).optional(),
    /** Verify the server certificate. Turning this off is logged as a warning at every start. */
    verifyCertificate: z.boolean().default(true),
  })
  .default({ startTls: false, verifyCertificate: true });

const directory = z.strictObject({
  type: z.enum(directoryTypes),
  url: z
    .string()
    .regex(/^ldaps?:\/\/[^/]+\/?$/, 'expected ldap://host:port or ldaps://host:port')
    .refine(noCredentials, { error: 'no user or password in the URL: use bindDn and bindPassword' }),
  bindDn: dn,
  bindPassword: secretRef,
  tls,
  baseDn: dn,
  /** Extra LDAP filter ANDed with the directory type's user filter. */
  filter: ldapFilter.optional(),
  /** A user is in scope only if it is a member (directly or through nested groups) of one of these. */
  groups: z.array(dn).default([]),
  pageSize: z.number().int().min(1).max(10_000).default(500),
  timeout: duration.default('30s'),
  /**
   * How nested group membership is found: `walk` reads the groups and follows nested ones (any
   * server); `in-chain` asks Active Directory (LDAP_MATCHING_RULE_IN_CHAIN); `is-member-of` reads
   * the users' isMemberOf (PingDirectory). Default: in-chain on AD, is-member-of on PingDirectory,
   * walk elsewhere.
   */
  groupMembership: z.enum(['walk', 'in-chain', 'is-member-of']).optional(),
  /** Attribute holding the immutable id, for a generic server; default by type (entryUUID, objectGUID, nsUniqueId). */
  idAttribute: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]*$/, 'expected an LDAP attribute name')
    .optional(),
  /** Users matching this LDAP filter count as disabled, besides the type's own disabled flag. */
  disabledFilter: ldapFilter.optional(),
  /** Active Directory: an accountExpires in the past counts as disabled. */
  expiredAccountsDisabled: z.boolean().default(false),
  /** Changed users and groups are found every pollInterval and sent on at once; see README "Changes within seconds". */
  incremental: z
    .strictObject({
      enabled: z.boolean().default(false),
      pollInterval: duration.default('1s'),
      /** How far before the last change seen each poll looks again (clock granularity, late commits). */
      lookback: duration.default('3s'),
    })
    .default({ enabled: false, pollInterval: '1s', lookback: '3s' }),
});

const fieldName = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'expected a ServiceNow field name such as first_name')
  .refine(
    (name) => !['user_name', 'active', 'locked_out', 'sys_id'].includes(name) && !name.startsWith('sys_'),
    {
      message: 'this field is managed by the product itself and cannot be mapped',
    },
  );

const attributeName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9-]*(;[A-Za-z0-9-]+)*$/, 'expected an LDAP attribute name');

const letterCase = z.enum(['lower', 'upper']).optional();

/**
 * Where a ServiceNow field's value comes from: an attribute name, or an attribute with options, a
 * constant, or a template such as `{givenName} {sn}`.
 */
const fieldSource = z.union([
  attributeName,
  z.strictObject({
    attribute: attributeName,
    multiValue: z.enum(['first', 'join']).optional(),
    separator: z.string().optional(),
    case: letterCase,
  }),
  z.strictObject({ constant: z.string() }),
  z.strictObject({
    template: z
      .string()
      .regex(/\{[A-Za-z][A-Za-z0-9-]*\}/, 'expected a template naming an attribute: {givenName}'),
    case: letterCase,
  }),
]);

const mapping = z
  .strictObject({
    /** Directory attribute whose value is the ServiceNow user_name; defaults by directory type. */
    userName: attributeName.optional(),
    /** ServiceNow field name to where its value comes from. */
    fields: z.record(fieldName, fieldSource).default({
      first_name: 'givenName',
      last_name: 'sn',
      email: 'mail',
    }),
    /** A multi-valued attribute gives its first value (as the server returns them), or all joined. */
    multiValue: z.enum(['first', 'join']).default('first'),
    separator: z.string().default(', '),
    /** An attribute removed in the directory empties the field (true), or leaves it as it is (false). */
    clearRemovedAttributes: z.boolean().default(true),
  })
  .default({
    fields: { first_name: 'givenName', last_name: 'sn', email: 'mail' },
    multiValue: 'first',
    separator: ', ',
    clearRemovedAttributes: true,
  });

const servicenow = z.strictObject({
  instanceUrl: z
    .url({
      protocol: /^https?$/,
      error: 'expected an http(s) URL such as https://example.service-now.com',
    })
    .refine(noCredentials, { error: 'no user or password in the URL: use servicenow.auth' }),
  auth: z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('basic'),
      username: z.string().min(1),
      password: secretRef,
    }),
    /** OAuth password grant against /oauth_token.do; the access token is refreshed before it expires. */
    z.strictObject({
      type: z.literal('oauth'),
      clientId: z.string().min(1),
      clientSecret: secretRef,
      username: z.string().min(1),
      password: secretRef,
    }),
  ]),
  pageSize: z.number().int().min(1).max(10_000).default(1000),
  /** Requests in flight at once from one worker. */
  maxConcurrency: z.number().int().min(1).max(256).default(16),
  /** Requests started per second by one worker, token requests included; unset means no limit. */
  requestsPerSecond: z.number().positive().max(10_000).optional(),
  timeout: duration.default('30s'),
  /** PEM file with CA certificates to trust for HTTPS. */
  caFile: z.string().min(1).optional(),
  /** Verify the instance's certificate. Turning this off is logged as a warning at every start. */
  verifyCertificate: z.boolean().default(true),
});

const switches = z
  .strictObject({
    create: z.boolean().default(true),
    update: z.boolean().default(true),
    disable: z.boolean().default(true),
    provisionDisabledUsers: z.boolean().default(false),
  })
  .default({ create: true, update: true, disable: true, provisionDisabledUsers: false });

const temporal = z
  .strictObject({
    address: z
      .string()
      .refine(isHostAndPort, {
        error: 'expected host:port with a port from 1 to 65535, such as 127.0.0.1:7233',
      })
      .default('127.0.0.1:7233'),
    namespace: z.string().min(1).default('default'),
    taskQueue: z.string().min(1).default('servicenow-provisioning'),
  })
  .default({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'servicenow-provisioning' });

const reconcile = z
  .strictObject({
    /** How often the Temporal Schedule runs a full reconcile. */
    interval: duration.default('15m'),
    /** How long one reconcile waits for the users it dispatched to finish before reporting. */
    settleTimeout: duration.default('30m'),
    /** The deprovision guard: above these limits a run's disables wait for an operator's approval. */
    guard: z
      .strictObject({
        maxDisables: z.number().int().min(0).default(100),
        maxDisableShare: z.number().min(0).max(1).default(0.2),
      })
      .default({ maxDisables: 100, maxDisableShare: 0.2 }),
  })
  .default({ interval: '15m', settleTimeout: '30m', guard: { maxDisables: 100, maxDisableShare: 0.2 } });

const logging = z
  .strictObject({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info') })
  .default({ level: 'info' });

/**
 * Encrypts every Temporal payload (inputs, results, signals, queries, heartbeats) with AES-256-GCM
 * before it leaves the process. The key is 32 bytes as hex or base64; previous keys still decrypt.
 */
const payloadEncryption = z
  .strictObject({ key: secretRef, previousKeys: z.array(secretRef).default([]) })
  .optional();

const hostPort = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[^\s:]+):\d{1,5}$/, 'expected host:port, e.g. 0.0.0.0:9464');

/** Prometheus endpoints of the worker, both at /metrics; each is off while unset. */
const metrics = z
  .strictObject({
    /** Where the worker serves the product's counters: accounts provisioned, linked, updated, disabled, failed. */
    listen: hostPort.optional(),
    /** Where the Temporal SDK serves its own worker metrics (task slots, latencies, failures). */
    temporalListen: hostPort.optional(),
  })
  .default({});

/** The configuration file as written by an operator, before secrets are loaded. */
export const configFileSchema = z.strictObject({
  directory,
  servicenow,
  mapping,
  switches,
  temporal,
  reconcile,
  logging,
  metrics,
  payloadEncryption,
});

export type ConfigFile = z.infer<typeof configFileSchema>;
export type SecretRef = z.infer<typeof secretRef>;
