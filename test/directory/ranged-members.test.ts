import type { Client, SearchRequest } from 'ldapts';
import { DirectoryEntry } from '../../src/directory/entry.js';
import { readGroupMembers } from '../../src/directory/scope-groups.js';

/**
 * Active Directory sends a `member` attribute of more than 1,500 values in ranges, which slapd never
 * does, so these tests stand in for the server: a client that answers the reader's requests for
 * `member;range=N-*` as a domain controller would. Everything else about groups runs on slapd.
 */
const groupDn = 'CN=All Staff,OU=Groups,DC=corp,DC=example';
const members = Array.from({ length: 3200 }, (_, i) => `CN=User ${i},OU=People,DC=corp,DC=example`);

/** The first part of the group, as the group's own search returns it: values 0 to 1499. */
function firstPart(): DirectoryEntry {
  return DirectoryEntry.fromStrings(groupDn, {
    objectClass: ['top', 'group'],
    'member;range=0-1499': members.slice(0, 1500),
  });
}

/** A server holding `members`, answering each range request with up to 1,500 values. */
function rangeServer(options: { stopAfter?: number } = {}): { client: Client; requested: string[] } {
  const requested: string[] = [];
  let messageId = 0;
  const client = {
    isBound: true,
    _nextMessageId: () => ++messageId,
    _send: (request: SearchRequest) => {
      const asked = request.attributes[0] ?? '';
      requested.push(asked);
      const start = Number(/^member;range=(\d+)-\*$/i.exec(asked)?.[1]);
      const end = Math.min(start + 1499, members.length - 1);
      const last = end === members.length - 1;
      const sends = options.stopAfter === undefined || requested.length <= options.stopAfter;
      const attributes = sends
        ? [
            {
              type: `member;range=${start}-${last ? '*' : end}`,
              // As ldapts parses them: the bytes, and their text where it is valid UTF-8.
              parsedBuffers: members.slice(start, end + 1).map((dn) => Buffer.from(dn)),
              values: members.slice(start, end + 1),
            },
          ]
        : [];
      return {
        status: 0,
        searchEntries: [{ name: groupDn, attributes }],
        searchReferences: [],
        controls: [],
      };
    },
  };
  return { client: client as unknown as Client, requested };
}

describe('a group whose members come in ranges', () => {
  test('is read to its last range, every member once, asking for each next range in turn', async () => {
    const server = rangeServer();

    const read = await readGroupMembers(server.client, firstPart(), 'test directory');

    expect(read.dns).toEqual(members);
    expect(server.requested).toEqual(['member;range=1500-*', 'member;range=3000-*']);
  });

  test('fails as an incomplete read, rather than lose members, when the server stops sending ranges', async () => {
    const server = rangeServer({ stopAfter: 1 });

    await expect(readGroupMembers(server.client, firstPart(), 'test directory')).rejects.toMatchObject({
      name: 'DirectoryError',
      code: 'incomplete-read',
      message: expect.stringContaining('stopped sending member;range=3000-*'),
    });
  });
});
