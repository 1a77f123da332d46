import { badResponse, type CallContext } from './classify.js';
import { ServiceNowError } from './errors.js';
import { keysetPages } from './keyset-pages.js';
import type { TableApi } from './table-api.js';

/**
 * How to ask ServiceNow for the accounts with a given user_name without the value changing the
 * query's meaning. An encoded query has no escaping, so a value is never put into one where it could
 * act as syntax:
 *
 * - `filter`: the plain `user_name=<value>` request parameter, which is a value, not query text
 *   (got URL-encodes it) and uses the user_name index. Used for every ordinary value.
 * - `scan`: a value with `^` (ServiceNow's term separator, also in `^OR` and `^NQ`) might be split
 *   by the instance even there, and a value with spaces around it would miss the account stored
 *   without them; such a value is looked up by a `user_nameLIKE<part>` term built from its longest
 *   `^`-free part without the spaces, paged through in full: a superset of the real matches.
 *
 * Either way the caller keeps only rows whose user_name really equals the value; the query only
 * narrows, it never decides.
 */
export type UserNameQuery =
  | { readonly kind: 'filter'; readonly value: string }
  | { readonly kind: 'scan'; readonly condition: string }
  | { readonly kind: 'refuse'; readonly reason: string };

/** Chooses the query for `userName`. */
export function userNameQuery(userName: string): UserNameQuery {
  const value = userName.trim();
  if (value === '') return { kind: 'refuse', reason: 'the user_name is empty' };
  if (/javascript:/i.test(value)) {
    // ServiceNow evaluates a query value that starts with javascript: as a server-side script.
    return { kind: 'refuse', reason: 'the user_name contains javascript:, which ServiceNow would run' };
  }
  if (!value.includes('^') && value === userName) return { kind: 'filter', value };

  const longest = value
    .split('^')
    .map((part) => part.trim())
    .reduce((best, part) => (part.length > best.length ? part : best), '');
  if (longest === '') {
    return { kind: 'refuse', reason: 'the user_name has nothing but ^ to search for' };
  }
  return { kind: 'scan', condition: `user_nameLIKE${longest}` };
}

/** A user_name filter that returns this many rows was ignored by the instance. */
const filterLimit = 50;

/** What a lookup reads. */
export interface UserNameLookup {
  readonly context: CallContext;
  readonly userName: string;
  readonly fields: readonly string[];
  readonly pageSize: number;
}

/**
 * The rows the instance gives for the query userNameQuery chooses: candidates, not answers. The
 * caller keeps those whose user_name really matches.
 */
export async function candidateRows(
  api: TableApi,
  lookup: UserNameLookup,
): Promise<Record<string, unknown>[]> {
  const { context, fields, pageSize } = lookup;
  const query = userNameQuery(lookup.userName);
  if (query.kind === 'refuse') {
    throw new ServiceNowError('ServiceNowBadRequest', `${context.operation}: ${query.reason}`, {
      retryable: false,
    });
  }

  if (query.kind === 'scan') {
    const rows: Record<string, unknown>[] = [];
    for await (const page of keysetPages(api, { context, condition: query.condition, fields, pageSize })) {
      rows.push(...page);
    }
    return rows;
  }

  const result = await api.call({
    context,
    method: 'GET',
    searchParams: {
      user_name: query.value,
      sysparm_fields: fields.join(','),
      sysparm_limit: String(filterLimit),
      sysparm_no_count: 'true',
      sysparm_suppress_pagination_header: 'true',
    },
  });
  if (!Array.isArray(result)) throw badResponse(context, 'a result that is not a list', false);
  if (result.length >= filterLimit) {
    throw badResponse(context, `${result.length} rows for one user_name: the filter was not applied`, false);
  }
  return result as Record<string, unknown>[];
}
