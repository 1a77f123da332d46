import { badResponse, type CallContext } from './classify.js';
import { readPageWithRetries, type PageRetry } from './page-retry.js';
import { isSysId } from './records.js';
import type { TableApi } from './table-api.js';

/** What to page through. */
export interface KeysetScan {
  readonly context: CallContext;
  /** A condition without `^` that every row must meet, or undefined for the whole table. */
  readonly condition?: string;
  readonly fields: readonly string[];
  readonly pageSize: number;
  /** Ask again for a page that failed retryably (see page-retry.ts); without it, one failure ends the scan. */
  readonly retry?: PageRetry;
}

/**
 * Pages through a table in sys_id order with `sys_id>last^ORDERBYsys_id`, never a deep offset, so
 * a row present from the first page to the last is seen exactly once however many rows are added
 * or removed meanwhile (an offset would skip or repeat rows when earlier ones come or go). It stops
 * only at an empty page: a short page is no proof of the end (ACLs filter after the limit is applied).
 * Every page must be in strictly rising sys_id order past the previous one, or the server ignored
 * part of the query and the scan stops with an error instead of looping or missing rows.
 */
export async function* keysetPages(
  api: TableApi,
  scan: KeysetScan,
): AsyncGenerator<Record<string, unknown>[]> {
  if (scan.condition?.includes('^')) throw new Error('a keyset condition must be a single term');
  let last: string | undefined;

  for (let page = 1; ; page += 1) {
    const terms = [scan.condition, last === undefined ? undefined : `sys_id>${last}`, 'ORDERBYsys_id'];
    const searchParams = {
      sysparm_query: terms.filter((t) => t !== undefined).join('^'),
      sysparm_fields: scan.fields.join(','),
      sysparm_limit: String(scan.pageSize),
      sysparm_no_count: 'true',
      sysparm_suppress_pagination_header: 'true',
    };
    const read = () => api.call({ context: scan.context, method: 'GET', searchParams });
    const result =
      scan.retry === undefined ? await read() : await readPageWithRetries(read, page, scan.retry);
    if (!Array.isArray(result)) throw badResponse(scan.context, 'a result that is not a list', false);
    if (result.length === 0) return;

    const rows = result as Record<string, unknown>[];
    last = checkOrder(scan.context, rows, last);
    yield rows;
  }
}

/** The page's last sys_id, after checking that the page rises strictly from `after`. */
function checkOrder(
  context: CallContext,
  rows: Record<string, unknown>[],
  after: string | undefined,
): string {
  let previous = after;
  for (const row of rows) {
    const sysId = typeof row?.sys_id === 'string' ? row.sys_id : undefined;
    if (sysId === undefined || !isSysId(sysId)) {
      throw badResponse(context, 'a row without a valid sys_id', false);
    }
    if (previous !== undefined && !(sysId > previous)) {
      throw badResponse(
        context,
        `rows out of sys_id order (${sysId} after ${previous}): paging is unsafe`,
        false,
      );
    }
    previous = sysId;
  }
  return previous as string;
}
