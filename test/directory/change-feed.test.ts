import { startSlapd, type RunningSlapd } from '../../src/dev/slapd.js';
import type { ChangeAttribute } from '../../src/directory/change-marker.js';
import { DirectoryChangeFeed, type ChangeBatch, type Watermark } from '../../src/directory/change-feed.js';
import type { DirectoryQuery } from '../../src/directory/read-scope.js';
import {
  addPerson,
  addToGroup,
  asAdmin,
  createGroup,
  directorySettings,
  entryUuidOf,
  lockPerson,
  modifyPerson,
  removeFromGroup,
} from '../helpers/directory.js';

/**
 * The change feed against a real slapd: what each kind of change looks like in a batch, the
 * look-back that returns the same change for a few polls handing it out once, and a read that
 * fails leaving the feed where it stood.
 */
const query: DirectoryQuery = { userNameAttribute: 'uid', attributes: ['givenName', 'sn', 'title'] };
let slapd: RunningSlapd;
const opened: DirectoryChangeFeed[] = [];
let counter = 0;

beforeAll(async () => {
  slapd = await startSlapd();
});
afterEach(async () => {
  for (const feed of opened.splice(0)) await feed.close();
});
afterAll(() => slapd.stop());

/** A scope group of its own for each test, with the people given (by uid) hired into it. */
async function scopeWith(...uids: string[]): Promise<{ group: string; cn: string }> {
  counter += 1;
  const cn = `scope-${counter}`;
  const dns = [];
  for (const uid of uids)
    dns.push(await addPerson(slapd, { uid, givenName: 'Pat', sn: uid, title: 'Engineer' }));
  return { group: await createGroup(slapd, cn, dns), cn };
}

async function open(
  groups: string[],
  options: { watermark?: Watermark; changeAttribute?: ChangeAttribute } = {},
): Promise<DirectoryChangeFeed> {
  const settings = directorySettings(slapd, { groups });
  const feed = await DirectoryChangeFeed.open(settings, query, {
    watermark: undefined,
    lookbackMs: 3000,
    ...options,
  });
  opened.push(feed);
  return feed;
}

/** Reads and commits one batch. */
async function poll(feed: DirectoryChangeFeed): Promise<ChangeBatch> {
  const batch = await feed.next();
  feed.commit(batch);
  return batch;
}

const inScope = (batch: ChangeBatch, uid: string) => batch.inScope.filter((u) => u.userName === uid);

async function modifyTimestampOf(uid: string): Promise<string> {
  return asAdmin(slapd, async (client) => {
    const { searchEntries } = await client.search(slapd.peopleDn, {
      filter: `(uid=${uid})`,
      attributes: ['modifyTimestamp'],
    });
    return String(searchEntries[0]?.modifyTimestamp);
  });
}

describe('a change feed on a real slapd', () => {
  test('hands out a user whose mapped attribute changed, with the new value', async () => {
    const { group } = await scopeWith('chg-title');
    const feed = await open([group]);
    await poll(feed);

    await modifyPerson(slapd, 'chg-title', { title: 'Manager' });
    const batch = await poll(feed);

    expect(inScope(batch, 'chg-title')).toEqual([
      expect.objectContaining({ enabled: true, attributes: expect.objectContaining({ title: ['Manager'] }) }),
    ]);
    expect(batch.usersInScope).toBe(1);
  });

  test('hands out a new user of the scope group', async () => {
    const { group, cn } = await scopeWith('chg-existing');
    const feed = await open([group]);
    await poll(feed);

    const dn = await addPerson(slapd, { uid: 'chg-hire', givenName: 'New', sn: 'Hire' });
    await addToGroup(slapd, cn, dn);
    const batch = await poll(feed);

    expect(inScope(batch, 'chg-hire')).toEqual([
      expect.objectContaining({ id: await entryUuidOf(slapd, dn) }),
    ]);
    expect(batch.usersInScope).toBe(2);
  });

  test('hands out a user an administrator locked with ppolicy as disabled', async () => {
    const { group } = await scopeWith('chg-leaver');
    const feed = await open([group]);
    await poll(feed);

    await lockPerson(slapd, 'chg-leaver');
    const batch = await poll(feed);

    expect(inScope(batch, 'chg-leaver')).toEqual([expect.objectContaining({ enabled: false })]);
  });

  test('hands out a user added to a group nested in the scope group, then as out of scope once removed', async () => {
    counter += 1;
    const nested = await createGroup(slapd, `nested-${counter}`, []);
    const scope = await createGroup(slapd, `outer-${counter}`, [nested]);
    const dn = await addPerson(slapd, { uid: 'chg-nested', givenName: 'Nes', sn: 'Ted' });
    const id = await entryUuidOf(slapd, dn);
    const feed = await open([scope]);
    await poll(feed);

    await addToGroup(slapd, `nested-${counter}`, dn);
    const added = await poll(feed);
    expect(inScope(added, 'chg-nested')).toEqual([expect.objectContaining({ id })]);
    expect(added.groupsChanged).toBe(1);

    await removeFromGroup(slapd, `nested-${counter}`, dn);
    const removed = await poll(feed);
    expect(removed.outOfScope).toEqual([id]);
    expect(removed.inScope).toEqual([]);
  });

  test('hands out a change once while the look-back returns it, and a second change in the same second too', async () => {
    const { group } = await scopeWith('chg-twice');
    const feed = await open([group], { changeAttribute: 'modifyTimestamp' });
    await poll(feed);

    // Both changes must fall in one second of modifyTimestamp; a run that crosses a second tries again.
    let sameSecond = false;
    for (let attempt = 1; attempt <= 10 && !sameSecond; attempt += 1) {
      await modifyPerson(slapd, 'chg-twice', { title: `First ${attempt}` });
      const first = await modifyTimestampOf('chg-twice');
      expect(inScope(await poll(feed), 'chg-twice')).toHaveLength(1);
      expect(inScope(await poll(feed), 'chg-twice')).toEqual([]);

      await modifyPerson(slapd, 'chg-twice', { title: `Second ${attempt}` });
      sameSecond = (await modifyTimestampOf('chg-twice')) === first;
      const second = await poll(feed);
      expect(inScope(second, 'chg-twice')).toEqual([
        expect.objectContaining({ attributes: expect.objectContaining({ title: [`Second ${attempt}`] }) }),
      ]);
    }
    expect(sameSecond).toBe(true);
  });

  test('throws when the server is unreachable, and hands out the change once the server is back', async () => {
    const { group } = await scopeWith('chg-outage');
    const feed = await open([group]);
    await poll(feed);
    await modifyPerson(slapd, 'chg-outage', { title: 'Before the outage' });
    const watermark = feed.watermark;

    await slapd.kill();
    try {
      await expect(feed.next()).rejects.toMatchObject({ name: 'DirectoryError' });
      expect(feed.watermark).toEqual(watermark);
    } finally {
      await slapd.restart();
    }

    expect(inScope(await poll(feed), 'chg-outage')).toEqual([
      expect.objectContaining({ attributes: expect.objectContaining({ title: ['Before the outage'] }) }),
    ]);
  });
});

describe('a change feed opened at a watermark', () => {
  test('hands out a change made while no feed was open', async () => {
    const { group } = await scopeWith('chg-closed');
    const before = await open([group]);
    await poll(before);
    const watermark = before.watermark;
    await before.close();

    await modifyPerson(slapd, 'chg-closed', { title: 'Changed meanwhile' });
    const after = await open([group], { watermark });

    expect(after.gap).toBeUndefined();
    const batch = await poll(after);
    expect(inScope(batch, 'chg-closed')).toEqual([
      expect.objectContaining({ attributes: expect.objectContaining({ title: ['Changed meanwhile'] }) }),
    ]);
    expect(batch.needsFullReconcile).toBeUndefined();
  });

  test('asks for a full reconcile when a scope group changed while no feed was open', async () => {
    const { group, cn } = await scopeWith('chg-stays');
    const leaver = await addPerson(slapd, { uid: 'chg-gone', givenName: 'Gone', sn: 'Away' });
    await addToGroup(slapd, cn, leaver);
    const before = await open([group]);
    await poll(before);
    const watermark = before.watermark;
    await before.close();

    // The feed that opens next reads the scope without this user: it cannot tell the user left.
    await removeFromGroup(slapd, cn, leaver);
    const after = await open([group], { watermark });

    expect((await poll(after)).needsFullReconcile).toMatch(/scope groups changed/);
  });

  test('says that changes may have been missed when the directory shows nothing at or after the watermark', async () => {
    const { group } = await scopeWith('chg-restored');
    const feed = await open([group], {
      watermark: { attribute: 'entryCSN', value: '29990101000000.000000Z#000000#000#000000' },
    });

    expect(feed.gap).toMatch(/no change at or after the watermark/);
    expect(feed.watermark.value < '29990101').toBe(true);
  });

  test('says that changes may have been missed when the watermark is another attribute’s', async () => {
    const { group } = await scopeWith('chg-switched');
    const feed = await open([group], {
      watermark: { attribute: 'modifyTimestamp', value: '20260101000000Z' },
    });

    expect(feed.gap).toMatch(/followed by entryCSN/);
    expect(feed.watermark.attribute).toBe('entryCSN');
  });
});
