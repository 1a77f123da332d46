import { EqualityFilter, PagedResultsControl, type Client, type SearchRequest } from 'ldapts';
import { DirectoryError } from '../../src/directory/errors.js';
import { pagedSearch, type SearchPage } from '../../src/directory/paged-search.js';
import { visitUserEntries, type ScopeReading } from '../../src/directory/scope-reading.js';

/**
 * A server of `pages` pages of one entry each, answering through the client methods pagedSearch
 * uses; `failPage` makes the answer to that page (counted from 1) a rejection.
 */
function pagingServer(pages: number, failPage?: number) {
  const asked: number[] = [];
  let messageId = 0;
  const client = {
    isBound: true,
    _nextMessageId: () => ++messageId,
    _send: (request: SearchRequest) => {
      const paging = request.controls?.find((c) => c instanceof PagedResultsControl);
      const cookie = paging?.value?.cookie;
      const page = cookie === undefined || cookie.length === 0 ? 1 : Number(cookie.toString()) + 1;
      asked.push(page);
      if (page === failPage) return Promise.reject(new Error(`page ${page} failed`));
      const next = page < pages ? Buffer.from(String(page)) : Buffer.alloc(0);
      return Promise.resolve({
        status: 0,
        searchEntries: [{ name: `uid=u${page},dc=example`, attributes: [] }],
        searchReferences: [],
        controls: [new PagedResultsControl({ value: { size: 1, cookie: next } })],
      });
    },
  };
  return { client: client as unknown as Client, asked };
}

const options = {
  scope: 'sub' as const,
  filter: new EqualityFilter({ attribute: 'objectClass', value: 'person' }),
  attributes: ['uid'],
  pageSize: 1,
};

describe('a paged search', () => {
  test('asks for the next page before it hands on the page in hand, and reads every page once', async () => {
    const { client, asked } = pagingServer(3);
    const search = pagedSearch(client, 'dc=example', options);

    const first = await search.next();
    expect(first.done).toBe(false);
    expect((first.value as SearchPage).entries.map((e) => e.dn)).toEqual(['uid=u1,dc=example']);
    expect(asked).toEqual([1, 2]);

    const rest: string[] = [];
    for await (const page of search) rest.push(...page.entries.map((e) => e.dn));
    expect(rest).toEqual(['uid=u2,dc=example', 'uid=u3,dc=example']);
    expect(asked).toEqual([1, 2, 3]);
  });

  test('throws the failure of the page it asked for ahead when that page is read', async () => {
    const { client } = pagingServer(3, 2);
    const search = pagedSearch(client, 'dc=example', options);
    await expect(search.next()).resolves.toMatchObject({ done: false });
    await expect(search.next()).rejects.toThrow('page 2 failed');
  });

  test('lets a reader stop early without the page asked for ahead failing unhandled', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const { client, asked } = pagingServer(3, 2);
      for await (const page of pagedSearch(client, 'dc=example', options)) {
        expect(page.entries).toHaveLength(1);
        break;
      }
      await new Promise((resolve) => setImmediate(resolve));
      expect(asked).toEqual([1, 2]);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});

describe('a search that hands on each entry as its page arrives', () => {
  // What visitUserEntries reads of a scope reading.
  const reading = {
    attributes: ['uid'],
    rules: { binaryAttributes: [] },
    settings: { pageSize: 1 },
  } as unknown as ScopeReading;
  const search = { baseDn: 'dc=example', filter: '(objectClass=person)', what: 'test directory' };

  test('visits every entry of every page once and counts them', async () => {
    const { client } = pagingServer(3);
    const seen: string[] = [];
    await expect(visitUserEntries(client, reading, search, (e) => seen.push(e.dn))).resolves.toBe(3);
    expect(seen).toEqual(['uid=u1,dc=example', 'uid=u2,dc=example', 'uid=u3,dc=example']);
  });

  test("names a page that fails as the directory's failure, with its number", async () => {
    const { client } = pagingServer(3, 2);
    const failure = visitUserEntries(client, reading, search, () => undefined);
    await expect(failure).rejects.toBeInstanceOf(DirectoryError);
    await expect(failure).rejects.toThrow(/test directory \(search under dc=example, page 2\)/);
  });

  test('lets what the visitor throws out as it is, not as a failed search', async () => {
    const { client, asked } = pagingServer(3);
    const bug = new TypeError('the visitor failed');
    const failure = visitUserEntries(client, reading, search, () => {
      throw bug;
    });
    await expect(failure).rejects.toBe(bug);
    expect(asked).toEqual([1, 2]);
  });
});
