import { closest as closestMatch, distance } from 'fastest-levenshtein';
import type { z } from 'zod';

/** One thing wrong with a configuration, located by its path in the file (`directory.url`). */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}

/** The parts of zod's internal schema definition this file walks; zod keeps them stable within a major. */
interface SchemaDef {
  readonly type: string;
  readonly shape?: Record<string, { _zod: { def: SchemaDef } }>;
  readonly innerType?: { _zod: { def: SchemaDef } };
  readonly options?: readonly { _zod: { def: SchemaDef } }[];
}

/**
 * Turns zod's issues into problems a person can act on: an unknown key is reported at its own path
 * with the closest known setting; a missing value says it is missing rather than "received undefined".
 * `input` is the parsed file, `schema` the schema it was checked against.
 */
export function problemsFromIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  schema: z.ZodType,
): ConfigProblem[] {
  return issues.flatMap((issue): ConfigProblem[] => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schema, path);
      return issue.keys.map((key) => ({
        path: [...path, key].join('.'),
        message: unknownKeyMessage(key, known),
      }));
    }
    if (valueAt(input, path) === undefined && path.length > 0) {
      return [{ path: path.join('.'), message: missingMessage(issue) }];
    }
    return [{ path: path.join('.'), message: issue.message }];
  });
}

function missingMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
    return `required setting is missing (expected ${issue.expected})`;
  }
  return `required setting is missing: ${issue.message}`;
}

function unknownKeyMessage(key: string, known: readonly string[]): string {
  const suggestion = closest(key, known);
  if (suggestion) return `unknown setting; did you mean "${suggestion}"?`;
  return known.length > 0 ? `unknown setting; expected one of: ${known.join(', ')}` : 'unknown setting';
}

function valueAt(input: unknown, path: readonly string[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** The setting names allowed at `path`, found by walking the schema's definition. */
function knownKeys(schema: z.ZodType, path: readonly string[]): string[] {
  let defs: SchemaDef[] = [(schema as unknown as { _zod: { def: SchemaDef } })._zod.def];
  for (const key of [...path, '']) {
    defs = defs.flatMap(unwrap);
    if (key === '') break;
    defs = defs.flatMap((def) => {
      const child = def.shape?.[key];
      return child ? [child._zod.def] : [];
    });
  }
  return [...new Set(defs.flatMap((def) => Object.keys(def.shape ?? {})))];
}

/** Looks through defaults, optionals and unions to the object schemas underneath. */
function unwrap(def: SchemaDef): SchemaDef[] {
  if (def.innerType) return unwrap(def.innerType._zod.def);
  if (def.options) return def.options.flatMap((option) => unwrap(option._zod.def));
  return [def];
}

/** The known key a typo most likely meant: within two edits, letter case ignored. */
function closest(key: string, known: readonly string[]): string | undefined {
  const candidate =
    known.length > 0
      ? closestMatch(
          key.toLowerCase(),
          known.map((k) => k.toLowerCase()),
        )
      : '';
  const index = known.findIndex((k) => k.toLowerCase() === candidate);
  if (index < 0 || distance(key.toLowerCase(), candidate) > 2) return undefined;
  return known[index];
}
