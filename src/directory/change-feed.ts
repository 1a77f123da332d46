import type { Client } from 'ldapts';
import type { Logger } from '../log.js';
import {
  changeMarkerFor,
  laterMarker,
  type ChangeAttribute,
  type ChangeMarker,
  type Watermark,
} from './change-marker.js';
import {
  changedUsersInFilter,
  groupSearchBases,
  latestMarker,
  searchChangedGroups,
  searchChangedUsers,
  type ChangedEntry,
} from './change-search.js';
import { ChangeWindow } from './change-window.js';
import { closeQuietly, openDirectoryConnection } from './connection.js';
import type { ScopeMembership } from './membership.js';
import { readDisabledIds, readScopeWith } from './read-scope.js';
import { scopeReading, scopeUserOf, type DirectoryQuery, type ScopeReading } from './scope-reading.js';
import type { DirectorySettings, DirectoryUser, SkippedEntry } from './types.js';

export type { Watermark } from './change-marker.js';

/** What changed since the last batch, decided against the scope as it is now. */
export interface ChangeBatch {
  /** Users in scope whose entry, or whose membership of the scope groups, changed. */
  readonly inScope: readonly DirectoryUser[];
  /** Ids of users whose change left them out of scope: the filter, the groups, or the user class. */
  readonly outOfScope: readonly string[];
  readonly skipped: readonly SkippedEntry[];
  /** Changed user entries, in scope or not. */
  readonly usersChanged: number;
  /** Changed groups among the scope groups and the groups nested in them. */
  readonly groupsChanged: number;
  /** Users in scope after this batch, for the deprovision guard. */
  readonly usersInScope: number;
  /** Why these changes cannot be followed one by one and a full reconcile must run; usually unset. */
  readonly needsFullReconcile: string | undefined;
}

/** True when a batch asks for nothing: no user to decide or report as skipped, and no full reconcile. */
export function isEmptyBatch(batch: ChangeBatch): boolean {
  const users = batch.inScope.length + batch.outOfScope.length + batch.skipped.length;
  return users === 0 && !batch.needsFullReconcile;
}

export interface ChangeFeedOptions {
  /** Where an earlier feed stood; undefined for a watcher that starts from the present. */
  readonly watermark: Watermark | undefined;
  readonly lookbackMs: number;
  /** The change attribute to follow instead of the directory type's own. */
  readonly changeAttribute?: ChangeAttribute;
  readonly log?: Logger;
}

/** What commit() records of a batch: kept out of the batch so that callers see data only. */
interface PendingCommit {
  readonly entries: readonly ChangedEntry[];
  readonly latest: string | undefined;
  readonly membership: ScopeMembership | undefined;
  readonly ids: ReadonlySet<string>;
}

/** Where a feed starts, and why changes before it may have been missed (a watermark it could not use). */
interface StartingPoint {
  readonly watermark: string;
  readonly gap: string | undefined;
}

/**
 * The directory's changes, batch by batch: user and group entries whose change marker (entryCSN,
 * modifyTimestamp, uSNChanged) is at or after the watermark less a look-back, each version of an
 * entry once. A user is decided by the same rules as the full read (scopeUserOf); when a scope
 * group or a group nested in one changes, the whole scope is read again and the users who entered
 * or left it are in the batch. A read that fails throws, and the watermark and the scope stay as
 * they were. Deletions are not seen: the directory keeps no trace of them.
 */
export class DirectoryChangeFeed {
  /**
   * Set when the watermark given to open() could not be used (another change attribute, or a
   * directory that shows nothing at or after it): changes made before opening may have been missed.
   */
  readonly gap: string | undefined;
  #client: Client;
  #watermark: string;
  #membership: ScopeMembership | undefined;
  #inScope: ReadonlySet<string>;
  /** Group changes after `from` and up to `to` were made while the feed opened: see #openedDuring. */
  readonly #opening: { readonly from: string; readonly to: string | undefined };
  readonly #window: ChangeWindow;
  readonly #pending = new WeakMap<ChangeBatch, PendingCommit>();

  private constructor(
    private readonly reading: ScopeReading,
    private readonly marker: ChangeMarker,
    private readonly groupBases: readonly string[],
    private readonly options: ChangeFeedOptions,
    start: StartingPoint & {
      client: Client;
      membership: ScopeMembership | undefined;
      ids: ReadonlySet<string>;
      groupsReadUpTo: string | undefined;
    },
  ) {
    this.gap = start.gap;
    this.#client = start.client;
    this.#watermark = start.watermark;
    this.#opening = { from: start.watermark, to: start.groupsReadUpTo };
    this.#membership = start.membership;
    this.#inScope = start.ids;
    this.#window = new ChangeWindow(marker);
  }

  /**
   * Connects, and reads the scope in full once, to know who is in it and which groups count. The
   * starting point is read before the scope, so that no change falls between the two; the latest
   * group change is read again after it: see #openedDuring.
   */
  static async open(
    settings: DirectorySettings,
    query: DirectoryQuery,
    options: ChangeFeedOptions,
  ): Promise<DirectoryChangeFeed> {
    const reading = scopeReading(settings, query);
    const marker = changeMarkerFor(settings.type, options.changeAttribute);
    const client = await openDirectoryConnection(settings, options.log);
    try {
      const groupBases = await groupSearchBases(client, reading);
      const followed = { userBase: settings.baseDn, groupBases };
      const start = await startingPoint(client, reading, marker, followed, options.watermark);
      const { scope, membership } = await readScopeWith(client, reading, options.log);
      const ids = new Set(scope.users.map((user) => user.id));
      const groupsReadUpTo =
        groupBases.length === 0 ? undefined : await latestMarker(client, reading, marker, { groupBases });
      const state = { ...start, client, membership, ids, groupsReadUpTo };
      return new DirectoryChangeFeed(reading, marker, groupBases, options, state);
    } catch (error) {
      await closeQuietly(client);
      throw error;
    }
  }

  /** Where the feed stands: every change up to here is handled. */
  get watermark(): Watermark {
    return { attribute: this.marker.attribute, value: this.#watermark };
  }

  /** Reads the changes since the watermark; nothing is recorded until commit(). */
  async next(): Promise<ChangeBatch> {
    await this.#ensureBound();
    const client = this.#client;
    const lowerBound = this.marker.lowerBound(this.#watermark, this.options.lookbackMs);
    // On Active Directory the watermark moves to what the controller had committed before the searches.
    const committed =
      this.marker.attribute === 'uSNChanged'
        ? await latestMarker(client, this.reading, this.marker, { groupBases: [] })
        : undefined;
    const groups = await searchChangedGroups(client, this.reading, this.groupBases, this.marker, lowerBound);
    const users = await searchChangedUsers(client, this.reading, this.marker, lowerBound);
    const latest =
      committed ??
      [...groups, ...users].reduce<string | undefined>(
        (max, e) => laterMarker(this.marker, max, e.marker || undefined),
        undefined,
      );

    const fresh = (e: ChangedEntry) => this.#window.isNew(e.key, e.fingerprint);
    const newGroups = groups.filter(fresh);
    const newUsers = users.filter(fresh);
    const relevant = newGroups.filter((g) => this.#countsForScope(g));
    const needsFullReconcile = relevant.some((g) => this.#openedDuring(g.marker))
      ? 'scope groups changed while the watcher was not running'
      : undefined;

    const scope = relevant.length > 0 ? await this.#rereadScope() : undefined;
    const membership = scope?.membership ?? this.#membership;
    const skipped: SkippedEntry[] = [];
    const fromUsers = await this.#decideUsers(newUsers, membership, lowerBound, skipped);
    const decided = new Map([...(scope?.decided ?? []), ...fromUsers]);
    const ids = scope?.ids ?? withDecisions(this.#inScope, fromUsers);

    const batch: ChangeBatch = {
      inScope: [...decided.values()].filter((u): u is DirectoryUser => u !== null),
      outOfScope: [...decided].filter(([, u]) => u === null).map(([id]) => id),
      skipped,
      usersChanged: newUsers.length,
      groupsChanged: relevant.length,
      usersInScope: ids.size,
      needsFullReconcile,
    };
    this.#pending.set(batch, { entries: [...newGroups, ...newUsers], latest, membership, ids });
    return batch;
  }

  /** Records a batch as handled: its entries are not handed out again, and the watermark moves on. */
  commit(batch: ChangeBatch): void {
    const pending = this.#pending.get(batch);
    if (pending === undefined)
      throw new Error('commit() takes a batch this feed handed out and not committed yet');
    this.#pending.delete(batch);

    for (const e of pending.entries) this.#window.handled(e.key, e.fingerprint, e.marker);
    this.#watermark = laterMarker(this.marker, this.#watermark, pending.latest) ?? this.#watermark;
    this.#window.forgetBefore(this.marker.lowerBound(this.#watermark, this.options.lookbackMs));
    this.#membership = pending.membership;
    this.#inScope = pending.ids;
  }

  async close(): Promise<void> {
    await closeQuietly(this.#client);
  }

  /**
   * Whether a changed group can change the scope: one of the scope groups or the groups nested in
   * them. Reading isMemberOf (PingDirectory), the nested groups are not known, so every group counts.
   */
  #countsForScope(group: ChangedEntry): boolean {
    if (this.reading.membership === 'is-member-of') return true;
    return this.#membership?.groups.has(group.key) === true;
  }

  /**
   * A group changed after the watermark and before the scope was read at opening: that read
   * already holds the change, so who entered or left by it cannot be told from a diff.
   */
  #openedDuring(marker: string): boolean {
    const { from, to } = this.#opening;
    if (to === undefined) return false;
    return this.marker.compare(marker, from) > 0 && this.marker.compare(marker, to) <= 0;
  }

  /** The whole scope again, and who entered (the user) or left it (null) since the last batch. */
  async #rereadScope() {
    const whole = await readScopeWith(this.#client, this.reading, this.options.log);
    const ids = new Set(whole.scope.users.map((user) => user.id));
    const decided = new Map<string, DirectoryUser | null>();
    for (const user of whole.scope.users) if (!this.#inScope.has(user.id)) decided.set(user.id, user);
    for (const id of this.#inScope) if (!ids.has(id)) decided.set(id, null);
    return { membership: whole.membership, ids, decided };
  }

  /** Each changed user entry decided as the full read would: the user in scope, or null. */
  async #decideUsers(
    entries: readonly ChangedEntry[],
    membership: ScopeMembership | undefined,
    lowerBound: string,
    skipped: SkippedEntry[],
  ): Promise<Map<string, DirectoryUser | null>> {
    const decided = new Map<string, DirectoryUser | null>();
    if (entries.length === 0) return decided;
    const client = this.#client;
    const inFilter = await changedUsersInFilter(client, this.reading, this.marker, lowerBound);
    const disabledIds = await readDisabledIds(client, this.reading, this.marker.filter(lowerBound));

    for (const { entry, key } of entries) {
      const id = this.reading.rules.readId(entry);
      if (!id.ok) {
        skipped.push({ dn: entry.dn, reason: id.reason });
        continue;
      }
      if (inFilter !== undefined && !inFilter.has(key)) {
        decided.set(id.value, null);
        continue;
      }
      const user = scopeUserOf(entry, this.reading, membership, disabledIds);
      if (user === undefined) decided.set(id.value, null);
      else if (user.ok) decided.set(id.value, user.value);
      else skipped.push({ dn: entry.dn, reason: user.reason });
    }
    return decided;
  }

  /** An idle timeout closes the connection; a closed one is opened and bound again, never used unbound. */
  async #ensureBound(): Promise<void> {
    if (this.#client.isBound) return;
    await closeQuietly(this.#client);
    this.#client = await openDirectoryConnection(this.reading.settings, this.options.log);
  }
}

/**
 * Where a feed opens: at the given watermark when it can be trusted, otherwise at the latest change
 * in the directory (the origin when there is none), saying why. A watermark can't be trusted when
 * it is another attribute's, or when the directory shows no change at or after it: restored from a
 * backup, another server, or the entry changed last was deleted.
 */
async function startingPoint(
  client: Client,
  reading: ScopeReading,
  marker: ChangeMarker,
  followed: { userBase: string; groupBases: readonly string[] },
  given: Watermark | undefined,
): Promise<StartingPoint> {
  const present = async () => (await latestMarker(client, reading, marker, followed)) ?? marker.origin;
  if (given === undefined) return { watermark: await present(), gap: undefined };
  if (given.attribute !== marker.attribute) {
    const gap = `the watermark is a ${given.attribute} and the directory is now followed by ${marker.attribute}`;
    return { watermark: await present(), gap };
  }
  if (given.value === marker.origin) return { watermark: given.value, gap: undefined };

  const since = await latestMarker(client, reading, marker, { ...followed, since: given.value });
  if (since !== undefined) return { watermark: given.value, gap: undefined };
  const gap =
    `the directory shows no change at or after the watermark ${given.value}: it may have been restored ` +
    'from a backup, be another server, or the entry changed last was deleted';
  return { watermark: await present(), gap };
}

function withDecisions(
  ids: ReadonlySet<string>,
  decided: ReadonlyMap<string, DirectoryUser | null>,
): ReadonlySet<string> {
  const next = new Set(ids);
  for (const [id, user] of decided) {
    if (user) next.add(id);
    else next.delete(id);
  }
  return next;
}
