import { readFileSync } from 'node:fs';
import { parseDocument, type YAMLError } from 'yaml';
import { EncryptionKeyError, parseEncryptionKey } from '../codec/encryption-key.js';
import { checkCaFiles } from './file-checks.js';
import { problemsFromIssues, type ConfigProblem } from './problems.js';
import { configFileSchema, type ConfigFile, type DirectoryType, type SecretRef } from './schema.js';
import { Secret } from './secret.js';

export type { ConfigProblem };

/** The configuration could not be used; `problems` lists every reason, each with its path. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly source: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `${source}: invalid configuration\n` +
        problems.map((p) => `  - ${p.path || '(top level)'}: ${p.message}`).join('\n'),
    );
  }
}

type WithSecrets<T> = T extends SecretRef
  ? Secret
  : T extends readonly (infer U)[]
    ? WithSecrets<U>[]
    : T extends object
      ? { [K in keyof T]: WithSecrets<T[K]> }
      : T;

/** A validated configuration with its secrets loaded and its per-directory defaults filled in. */
export type Config = WithSecrets<ConfigFile> & {
  mapping: { userName: string };
};

const defaultUserNameAttribute: Record<DirectoryType, string> = {
  openldap: 'uid',
  'active-directory': 'sAMAccountName',
  '389ds': 'uid',
  pingdirectory: 'uid',
  generic: 'uid',
};

/** Reads, validates and completes the configuration file at `path`. Throws a ConfigError. */
export function loadConfig(path: string, env: NodeJS.ProcessEnv = process.env): Config {
  return parseConfig(readConfigFile(path), path, env);
}

function readConfigFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(path, [{ path: '', message: `cannot read the configuration file (${code})` }]);
  }
}

/**
 * Only the payload encryption settings of the configuration file, with their keys loaded: for
 * processes that need the codec but none of the other secrets (the codec server, operator commands
 * that talk to Temporal only). The whole file is still validated. Undefined when encryption is off.
 */
export function loadPayloadEncryption(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
): Config['payloadEncryption'] {
  const { data } = validate(readConfigFile(path), path);
  if (!data.payloadEncryption) return undefined;

  const problems: ConfigProblem[] = [];
  const settings = loadSecrets(data.payloadEncryption, ['payloadEncryption'], env, problems);
  const loaded = { payloadEncryption: settings } as Pick<Config, 'payloadEncryption'>;
  problems.push(...checkEncryptionKeys(loaded, problems));
  if (problems.length > 0) throw new ConfigError(path, problems);
  return loaded.payloadEncryption;
}

/** Validates configuration text; `source` names it in errors. Throws a ConfigError. */
export function parseConfig(text: string, source: string, env: NodeJS.ProcessEnv = process.env): Config {
  const raw = parseYaml(text, source);
  const { data, problems } = check(raw);
  const withSecrets = loadSecrets(data ?? raw, [], env, problems) as Config;
  // With the schema's problems, those of the secrets come in the same report; the rest needs a valid file.
  if (!data) throw new ConfigError(source, problems);
  problems.push(
    ...checkCaFiles({
      'directory.tls.caFile': withSecrets.directory.tls.caFile,
      'servicenow.caFile': withSecrets.servicenow.caFile,
    }),
    ...checkEncryptionKeys(withSecrets, problems),
  );
  if (problems.length > 0) {
    throw new ConfigError(source, problems);
  }

  withSecrets.mapping.userName ??= defaultUserNameAttribute[withSecrets.directory.type];
  return withSecrets;
}

/** Parses the YAML and checks it against the schema, secrets not loaded yet. Throws a ConfigError. */
function validate(text: string, source: string): { data: ConfigFile } {
  const { data, problems } = check(parseYaml(text, source));
  if (!data) throw new ConfigError(source, problems);
  return { data };
}

/** The file as plain data; a YAML syntax error throws a ConfigError naming its line. */
function parseYaml(text: string, source: string): unknown {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(source, document.errors.map(yamlProblem));
  }
  return document.toJS() ?? {};
}

/** The schema's verdict: the data when valid, else every problem, each with its path. */
function check(raw: unknown): { data?: ConfigFile; problems: ConfigProblem[] } {
  const parsed = configFileSchema.safeParse(raw);
  if (parsed.success) return { data: parsed.data, problems: [] };
  return { problems: problemsFromIssues(parsed.error.issues, raw, configFileSchema) };
}

/** A syntax error names its line and column; the path is unknown until the file parses. */
function yamlProblem(error: YAMLError): ConfigProblem {
  const position = error.linePos?.[0];
  const where = position ? `line ${position.line}, column ${position.col}` : '';
  const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  return { path: where, message: `YAML syntax: ${message}` };
}

/** Keys that loaded but cannot be used (a secret that failed to load is reported once, already). */
function checkEncryptionKeys(
  config: Pick<Config, 'payloadEncryption'>,
  loadProblems: readonly ConfigProblem[],
): ConfigProblem[] {
  const encryption = config.payloadEncryption;
  if (!encryption) return [];
  const keys = [
    ['payloadEncryption.key', encryption.key] as const,
    ...encryption.previousKeys.map((key, i) => [`payloadEncryption.previousKeys.${i}`, key] as const),
  ];
  return keys.flatMap(([path, secret]) => {
    if (loadProblems.some((p) => p.path.startsWith(`${path}.`))) return [];
    try {
      parseEncryptionKey(secret.reveal());
      return [];
    } catch (error) {
      if (!(error instanceof EncryptionKeyError)) throw error;
      return [{ path, message: `${error.message}; the value in ${secret.source} is not` }];
    }
  });
}

function isSecretRef(value: unknown): value is SecretRef {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'env' || keys[0] === 'file');
}

function loadSecrets(
  value: unknown,
  path: string[],
  env: NodeJS.ProcessEnv,
  problems: ConfigProblem[],
): unknown {
  if (isSecretRef(value)) {
    return loadSecret(value, path.join('.'), env, problems);
  }
  if (Array.isArray(value)) {
    return value.map((item, i) => loadSecrets(item, [...path, String(i)], env, problems));
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, loadSecrets(item, [...path, key], env, problems)]),
    );
  }
  return value;
}

function loadSecret(ref: SecretRef, path: string, env: NodeJS.ProcessEnv, problems: ConfigProblem[]): Secret {
  // A reference without a usable name is the schema's problem, reported once with its path.
  const name: unknown = 'env' in ref ? ref.env : ref.file;
  if (typeof name !== 'string' || name === '') return new Secret('', 'an unnamed reference');
  if ('env' in ref) {
    const value = env[ref.env];
    if (value === undefined || value === '') {
      problems.push({ path: `${path}.env`, message: `environment variable ${ref.env} is not set` });
    }
    return new Secret(value ?? '', `env ${ref.env}`);
  }

  try {
    const value = readFileSync(ref.file, 'utf8').replace(/\r?\n$/, '');
    if (value === '') problems.push({ path: `${path}.file`, message: `${ref.file} is empty` });
    return new Secret(value, `file ${ref.file}`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    problems.push({ path: `${path}.file`, message: `cannot read ${ref.file} (${code})` });
    return new Secret('', `file ${ref.file}`);
  }
}
