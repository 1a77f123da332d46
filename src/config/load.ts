import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { configFileSchema, type ConfigFile, type DirectoryType, type SecretRef } from './schema.js';
import { Secret } from './secret.js';

/** One thing wrong with a configuration, located by its path in the file (`directory.url`). */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}

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
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [
      { path: '', message: `cannot read the file (${(error as Error).message})` },
    ]);
  }
  return parseConfig(text, path, env);
}

/** Validates configuration text; `source` names it in errors. Throws a ConfigError. */
export function parseConfig(text: string, source: string, env: NodeJS.ProcessEnv = process.env): Config {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      source,
      document.errors.map((e) => ({ path: '', message: `YAML syntax: ${e.message.split('\n')[0]}` })),
    );
  }

  const parsed = configFileSchema.safeParse(document.toJS() ?? {});
  if (!parsed.success) {
    throw new ConfigError(source, parsed.error.issues.map(toProblem));
  }

  const problems: ConfigProblem[] = [];
  const withSecrets = loadSecrets(parsed.data, [], env, problems) as Config;
  if (problems.length > 0) {
    throw new ConfigError(source, problems);
  }

  withSecrets.mapping.userName ??= defaultUserNameAttribute[withSecrets.directory.type];
  return withSecrets;
}

function toProblem(issue: z.core.$ZodIssue): ConfigProblem {
  return { path: issue.path.map(String).join('.'), message: issue.message };
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
