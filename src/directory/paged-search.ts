import {
  PagedResultsControl,
  SearchRequest,
  StatusCodeParser,
  type Client,
  type Control,
  type Filter,
  type SearchResponse,
} from 'ldapts';
import { DirectoryEntry } from './entry.js';

/** One page of a paged search: its entries and the referral URLs the server sent instead of entries. */
export interface SearchPage {
  readonly entries: readonly DirectoryEntry[];
  readonly referrals: readonly string[];
}

export interface PagedSearchOptions {
  readonly scope: 'base' | 'sub';
  readonly filter: Filter;
  readonly attributes: readonly string[];
  readonly pageSize: number;
  /** Attributes whose values are bytes, not text (objectGUID). */
  readonly binaryAttributes?: readonly string[];
}

/**
 * A paged search (RFC 2696) that ends only when the server says the result is complete: a page
 * whose result code is success and whose cookie is empty. Any other result code throws the ldapts
 * ResultCodeError for it (size and time limits included, even after some pages); a dropped
 * connection, or one that is no longer bound, throws too.
 *
 * Why not ldapts' own paging: in 8.2.0, `search()` returns the entries read so far as a success
 * when the server answers sizeLimitExceeded and the request carried a size limit, and both
 * `search()` and `searchPaginated()` stop at the first page without entries even when the server
 * sent a cookie for more (RFC 2696 allows such pages). Either would hand back part of the directory
 * as if it were all. This loop sends its SearchRequests through the client's own message
 * handling, which ldapts keeps private; ldapts is pinned to 8.2.0 and `clientInternals` checks
 * that the two methods used are still there.
 */
export async function* pagedSearch(
  client: Client,
  baseDn: string,
  options: PagedSearchOptions,
): AsyncGenerator<SearchPage> {
  const internals = clientInternals(client);
  const binary = new Set(options.binaryAttributes?.map((name) => name.toLowerCase()));
  const send = (cookie: Buffer | undefined): Promise<SearchResponse | undefined> => {
    assertBound(client);
    const request = new SearchRequest({
      messageId: internals._nextMessageId(),
      baseDN: baseDn,
      scope: options.scope,
      filter: options.filter,
      attributes: [...options.attributes],
      returnAttributeValues: true,
      sizeLimit: 0,
      timeLimit: 0,
      controls: [new PagedResultsControl({ value: { size: options.pageSize, cookie } })],
    });
    const answer = Promise.resolve(internals._send<SearchResponse>(request));
    // Handled here so that a failure while the page before is still being used is not taken for
    // an unhandled rejection; it is thrown where the answer is awaited.
    answer.catch(() => undefined);
    return answer;
  };

  // The next page is asked for as soon as this one's cookie is known, before this one is converted
  // and handed on, so the server reads it meanwhile. A reader that stops early leaves that answer
  // unread.
  let next: Promise<SearchResponse | undefined> | undefined = send(undefined);
  while (next !== undefined) {
    const response: SearchResponse | undefined = await next;
    next = undefined;
    assertBound(client);
    if (response?.status !== 0) throw StatusCodeParser.parse(response);

    const cookie = pagedResultsOf(response.controls)?.value?.cookie;
    if (cookie !== undefined && cookie.length > 0) next = send(cookie);
    yield {
      entries: response.searchEntries.map((entry) => DirectoryEntry.fromSearchEntry(entry, binary)),
      referrals: response.searchReferences.flatMap((reference) => reference.uris),
    };
  }
}

/** Reads one entry by DN (a base search); undefined when it does not exist. */
export async function readEntry(
  client: Client,
  dn: string,
  filter: Filter,
  attributes: readonly string[],
  binaryAttributes: readonly string[] = [],
): Promise<DirectoryEntry | undefined> {
  const entries: DirectoryEntry[] = [];
  const options = { scope: 'base' as const, filter, attributes, binaryAttributes, pageSize: 10 };
  try {
    for await (const page of pagedSearch(client, dn, options)) {
      entries.push(...page.entries);
    }
  } catch (error) {
    if ((error as { code?: unknown }).code === 32) return undefined;
    throw error;
  }
  return entries[0];
}

/**
 * ldapts reconnects a closed connection on its next request without binding again (unless told to
 * rebind), so a search after an idle timeout would silently read as anonymous: whatever anonymous
 * may see, often nothing. A request goes out only on the connection that was bound, and an answer
 * counts only if that connection is still bound when it arrives.
 */
function assertBound(client: Client): void {
  if (!client.isBound) {
    throw new Error(
      'the connection was closed or is no longer bound, so the server would answer as anonymous',
    );
  }
}

function pagedResultsOf(controls: readonly Control[] | undefined): PagedResultsControl | undefined {
  return controls?.find((control): control is PagedResultsControl => control instanceof PagedResultsControl);
}

interface ClientInternals {
  _nextMessageId(): number;
  _send<T>(message: SearchRequest): Promise<T | undefined>;
}

function clientInternals(client: Client): ClientInternals {
  const internals = client as unknown as Partial<ClientInternals>;
  if (typeof internals._send !== 'function' || typeof internals._nextMessageId !== 'function') {
    throw new Error(
      'this ldapts version does not have the message methods the paged search needs (8.2.x does)',
    );
  }
  return internals as ClientInternals;
}
