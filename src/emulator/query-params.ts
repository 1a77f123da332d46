import type { EncodedQuery } from './encoded-query.js';
import { parseEncodedQuery } from './encoded-query.js';
import type { DisplayValueMode, OutputOptions } from './record-output.js';

/** The instance's default page size when `sysparm_limit` is absent. */
export const defaultLimit = 10_000;

/** What a list request asks for. */
export interface ListRequest {
  readonly query: EncodedQuery;
  readonly limit: number;
  readonly offset: number;
  readonly noCount: boolean;
}

/** Query parameters as single strings (a repeated parameter keeps its first value). */
export function flattenQuery(raw: unknown): Record<string, string> {
  const flat: Record<string, string> = {};
  if (typeof raw !== 'object' || raw === null) return flat;

  for (const [name, value] of Object.entries(raw)) {
    const first: unknown = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') flat[name] = first;
  }
  return flat;
}

/** Output options of any Table API request. */
export function outputOptions(query: Record<string, string>, baseUrl: string): OutputOptions {
  const fields = (query.sysparm_fields ?? '')
    .split(',')
    .map((field) => field.trim())
    .filter((field) => field !== '');
  const mode = (query.sysparm_display_value ?? '').toLowerCase();
  const displayValue: DisplayValueMode = mode === 'true' || mode === 'all' ? mode : 'false';

  return {
    fields: fields.length > 0 ? fields : undefined,
    displayValue,
    excludeReferenceLink: isTrue(query.sysparm_exclude_reference_link),
    baseUrl,
  };
}

/**
 * The query, page and count a list request asks for. Plain `name=value` parameters filter like
 * `name=value` clauses ANDed to every alternative of `sysparm_query`.
 */
export function listRequest(query: Record<string, string>): ListRequest {
  const encoded = parseEncodedQuery(query.sysparm_query ?? '');
  const filters = Object.entries(query)
    .filter(([name]) => !name.startsWith('sysparm_'))
    .map(([field, value]) => [{ field, operator: '=' as const, value }]);

  return {
    query: { ...encoded, alternatives: encoded.alternatives.map((terms) => [...terms, ...filters]) },
    limit: whole(query.sysparm_limit, 1) ?? defaultLimit,
    offset: whole(query.sysparm_offset, 0) ?? 0,
    noCount: isTrue(query.sysparm_no_count),
  };
}

function whole(text: string | undefined, minimum: number): number | undefined {
  const value = Number(text);
  return text !== undefined && Number.isInteger(value) && value >= minimum ? value : undefined;
}

function isTrue(text: string | undefined): boolean {
  return text?.toLowerCase() === 'true';
}
