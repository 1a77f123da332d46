import { EqualityFilter, PagedResultsControl, type Client, type SearchRequest } from 'ldapts';
import { pagedSearch, type SearchPage } from '../../src/directory/paged-search.js';

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
