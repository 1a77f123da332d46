/** Where a page sits in the whole result. */
export interface PagePosition {
  readonly offset: number;
  readonly limit: number;
  /** Rows on this page. */
  readonly returned: number;
  /** Rows matching in all; undefined when the client asked for no count. */
  readonly total: number | undefined;
}

/**
 * The `Link` header of a list answer, in the instance's format:
 * `<url>;rel="first",<url>;rel="prev",<url>;rel="next",<url>;rel="last"`. Every link repeats the
 * request's own parameters with the offset changed. Without a count there is no `last`, and `next`
 * is given whenever the page came back full.
 */
export function linkHeader(requestUrl: URL, page: PagePosition): string {
  const at = (offset: number): string => {
    const url = new URL(requestUrl);
    url.searchParams.set('sysparm_limit', String(page.limit));
    url.searchParams.set('sysparm_offset', String(offset));
    return `<${url.toString()}>`;
  };
  const links = [`${at(0)};rel="first"`];

  if (page.offset > 0) links.push(`${at(Math.max(0, page.offset - page.limit))};rel="prev"`);

  const more =
    page.total === undefined ? page.returned === page.limit : page.offset + page.limit < page.total;
  if (more) links.push(`${at(page.offset + page.limit)};rel="next"`);

  if (page.total !== undefined) {
    const lastOffset = page.total === 0 ? 0 : Math.floor((page.total - 1) / page.limit) * page.limit;
    links.push(`${at(lastOffset)};rel="last"`);
  }
  return links.join(',');
}
