import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { WatcherActivities } from '../activities/watch-directory.js';
import type { Watermark } from '../directory/change-marker.js';
import {
  addCounts,
  noCounts,
  watcherProgressSignal,
  watcherStatusQuery,
  type WatcherCounts,
  type WatcherProgress,
  type WatcherStatus,
} from './watcher-definitions.js';

/** What the watcher carries from one run to the next when it continues as new: a watermark and counts. */
export interface DirectoryWatcherInput {
  readonly watermark?: Watermark;
  readonly counts?: WatcherCounts;
  readonly sessions?: number;
}

/** One session polls for half an hour, then the workflow may continue as new with its watermark. */
const sessionMs = 30 * 60_000;
/** Histories stay small: a session adds a few events, and one per progress report (ten seconds apart at most). */
const maxHistoryEvents = 2000;
/** After a failure no retry can fix (a refused bind, a missing base DN), try again this much later. */
const afterPermanentFailure = '1 minute';

/**
 * Retried for as long as it takes: a directory or ServiceNow that is down delays the watcher, and
 * each attempt resumes from the watermark in its last heartbeat. A dead worker is noticed when the
 * heartbeats stop.
 */
const { watchDirectory } = proxyActivities<WatcherActivities>({
  startToCloseTimeout: sessionMs + 15 * 60_000,
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * The directory watcher of one deployment: runs sessions of the watching activity one after
 * another, each starting at the watermark the last one reached, so changes reach ServiceNow within
 * seconds of being made. Its history holds watermarks and counts only. Shows its state in the
 * watcherStatus query; continues as new before its history grows long. Cancel it to stop watching.
 */
export async function directoryWatcherWorkflow(input: DirectoryWatcherInput = {}): Promise<void> {
  let watermark = input.watermark;
  let counts = input.counts ?? noCounts;
  let sessions = input.sessions ?? 0;
  // Set by the progress signal handler, between awaits.
  const reported: { progress: WatcherProgress | undefined } = { progress: undefined };
  let lastError: string | undefined;
  let updatedAt: string | undefined;

  setHandler(watcherProgressSignal, (progress) => {
    if (progress.session !== sessions) return;
    reported.progress = progress;
    lastError = progress.lastError;
    updatedAt = new Date().toISOString();
  });
  setHandler(watcherStatusQuery, (): WatcherStatus => ({
    ...(reported.progress ? addCounts(counts, reported.progress.counts) : counts),
    watching: reported.progress?.watching ?? false,
    watermark: reported.progress?.watermark ?? watermark,
    sessions,
    lastError,
    updatedAt,
  }));

  for (;;) {
    sessions += 1;
    reported.progress = undefined;
    try {
      const result = await watchDirectory({ session: sessions, watermark, resumed: sessions > 1, sessionMs });
      watermark = result.watermark ?? watermark;
      counts = addCounts(counts, result.counts);
      lastError = undefined;
    } catch (error) {
      if (isCancellation(error)) throw error;
      // The watermark of the failed session's last report is kept: the next session starts there.
      const last = lastReport(reported);
      watermark = last?.watermark ?? watermark;
      counts = last ? addCounts(counts, last.counts) : counts;
      lastError = failureType(error);
      await sleep(afterPermanentFailure);
    }
    reported.progress = undefined;
    updatedAt = new Date().toISOString();

    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > maxHistoryEvents) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof directoryWatcherWorkflow>({ watermark, counts, sessions });
    }
  }
}

/** The session's last report; a function, so TypeScript does not narrow what a signal handler set. */
function lastReport(reported: { progress: WatcherProgress | undefined }): WatcherProgress | undefined {
  return reported.progress;
}

function failureType(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) return cause.type ?? 'ApplicationFailure';
  return cause instanceof Error ? cause.name : 'Unknown';
}
