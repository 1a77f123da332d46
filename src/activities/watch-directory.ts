import { CancelledFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Config } from '../config/load.js';
import { DirectoryChangeFeed, isEmptyBatch, type Watermark } from '../directory/change-feed.js';
import type { Logger } from '../log.js';
import { mappedAttributes } from '../reconcile/desired-user.js';
import type { ServiceNowClient } from '../servicenow/client.js';
import { durationMs } from '../temporal/schedule.js';
import { addCounts, noCounts, type WatcherCounts } from '../workflows/watcher-definitions.js';
import { passChanges, startFullReconcile } from './change-pass.js';
import { toApplicationFailure } from './failures.js';
import { RecentCount } from './recent-count.js';
import { watcherReporter } from './watcher-progress.js';

export interface WatcherActivityDeps {
  readonly config: Config;
  readonly serviceNow: ServiceNowClient;
  readonly temporal: Client;
  readonly log: Logger;
}

export interface WatchSessionInput {
  /** Numbers the session, so the workflow can ignore reports of an earlier one. */
  readonly session: number;
  /** Where the previous session stopped; undefined on the watcher's first session. */
  readonly watermark: Watermark | undefined;
  /** True when the watcher has watched before: then a missing watermark means it was lost. */
  readonly resumed: boolean;
  /** How long this session polls before it returns, so the workflow can continue as new. */
  readonly sessionMs: number;
}

export interface WatchSessionResult {
  readonly watermark: Watermark | undefined;
  readonly counts: WatcherCounts;
}

/** What each heartbeat records, so that a retried attempt resumes where the last one stood. */
interface Checkpoint {
  readonly watermark: Watermark | undefined;
  readonly counts: WatcherCounts;
  /** When the disables sent recently were sent (ms since 1970), for the deprovision guard. */
  readonly disabledAt: readonly number[];
}

/** Activities run by the directory watcher workflow. They return a watermark and counts, nothing per user. */
export function createWatcherActivities(deps: WatcherActivityDeps) {
  return {
    /**
     * Follows the directory's changes for one session: opens the change feed, polls it every
     * `directory.incremental.pollInterval`, brings each batch's users in line (passChanges) and
     * only then commits the batch and heartbeats the new watermark. A failed read or pass throws
     * before the commit, so the retried attempt reads the same changes again.
     */
    watchDirectory: async (input: WatchSessionInput): Promise<WatchSessionResult> => {
      try {
        return await watchDirectory(deps, input);
      } catch (error) {
        // A cancellation (worker shutdown, watcher stopped) must stay one, or it would not end the attempt as such.
        if (error instanceof CancelledFailure) throw error;
        throw toApplicationFailure(error);
      }
    },
  };
}

export type WatcherActivities = ReturnType<typeof createWatcherActivities>;

async function watchDirectory(
  deps: WatcherActivityDeps,
  input: WatchSessionInput,
): Promise<WatchSessionResult> {
  const context = Context.current();
  const { config, log } = deps;
  const { incremental } = config.directory;
  const saved = context.info.heartbeatDetails as Checkpoint | undefined;
  let checkpoint: Checkpoint = saved ?? { watermark: input.watermark, counts: noCounts, disabledAt: [] };
  const recent = new RecentCount(durationMs(config.reconcile.interval), checkpoint.disabledAt);
  const report = watcherReporter(deps.temporal, log, input.session);

  let feed: DirectoryChangeFeed | undefined;
  try {
    feed = await DirectoryChangeFeed.open(
      config.directory,
      { userNameAttribute: config.mapping.userName, attributes: mappedAttributes(config.mapping) },
      { watermark: checkpoint.watermark, lookbackMs: durationMs(incremental.lookback), log },
    );
    const lost =
      checkpoint.watermark === undefined && (input.resumed || context.info.attempt > 1)
        ? 'the watcher lost its watermark'
        : undefined;
    const gap = feed.gap ?? lost;
    let counts = checkpoint.counts;
    if (gap !== undefined) {
      log.warn({ reason: gap }, 'directory changes may have been missed');
      await startFullReconcile(deps, gap);
      counts = addCounts(counts, { ...noCounts, fullReconciles: 1 });
    }
    checkpoint = { ...checkpoint, watermark: feed.watermark, counts };
    context.heartbeat(checkpoint);
    report({ watching: true, watermark: feed.watermark, counts, lastError: undefined }, { force: true });
    log.info({ watermark: feed.watermark, attempt: context.info.attempt }, 'directory watcher started');

    const pollMs = durationMs(incremental.pollInterval);
    const endsAt = Date.now() + input.sessionMs;
    const runId = context.info.workflowExecution?.runId ?? context.info.activityId;
    const dispatchPrefix = `directory-watcher-${runId}-${context.info.attempt}`;
    for (let poll = 1; Date.now() < endsAt; poll += 1) {
      const batch = await feed.next();
      const read = { polls: 1, usersChanged: batch.usersChanged, groupsChanged: batch.groupsChanged };
      let step: WatcherCounts = { ...noCounts, ...read };
      if (!isEmptyBatch(batch)) {
        const outcome = await passChanges(deps, batch, {
          reconcileId: `${dispatchPrefix}-${poll}`,
          recentDisables: recent.count(),
        });
        recent.add(outcome.disables);
        step = {
          ...read,
          dispatched: outcome.dispatched,
          conflicts: outcome.conflicts,
          heldDisables: outcome.heldDisables,
          fullReconciles: outcome.fullReconcile ? 1 : 0,
        };
      }
      feed.commit(batch);

      checkpoint = {
        watermark: feed.watermark,
        counts: addCounts(checkpoint.counts, step),
        disabledAt: recent.times(),
      };
      context.heartbeat(checkpoint);
      // Polls alone do not make a report: an idle directory adds nothing to the workflow's history.
      const changed = step.usersChanged + step.groupsChanged + step.fullReconciles > 0;
      report(
        { watching: true, watermark: feed.watermark, counts: checkpoint.counts, lastError: undefined },
        { changed },
      );
      await context.sleep(pollMs);
    }
    report(
      { watching: false, watermark: feed.watermark, counts: checkpoint.counts, lastError: undefined },
      { force: true },
    );
    return { watermark: feed.watermark, counts: checkpoint.counts };
  } catch (error) {
    if (!(error instanceof CancelledFailure)) {
      const type = toApplicationFailure(error).type ?? 'UnexpectedError';
      log.warn({ type, error: (error as Error).message }, 'directory watcher failed; it will retry');
      report(
        { watching: false, watermark: checkpoint.watermark, counts: checkpoint.counts, lastError: type },
        { force: true },
      );
    }
    throw error;
  } finally {
    await feed?.close();
  }
}
