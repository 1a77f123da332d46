import type { Client } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import type { Logger } from '../log.js';
import { watcherProgressSignal, type WatcherProgress } from '../workflows/watcher-definitions.js';

/** At most one report this often, so a busy directory adds few events to the watcher's history. */
const minimumIntervalMs = 10_000;

/**
 * Sends the watcher workflow its session's progress. `force` sends at once (a session starting,
 * ending or failing); `changed` marks news that goes out when the interval has passed, or with the
 * next report after it, so the workflow never stays behind for long. A signal that fails is logged,
 * never fatal: the status is for people, and the watermark that matters is in the heartbeat.
 */
export function watcherReporter(
  client: Client,
  log: Logger,
  session: number,
): (progress: Omit<WatcherProgress, 'session'>, options: { force?: boolean; changed?: boolean }) => void {
  const execution = Context.current().info.workflowExecution;
  const handle = execution && client.workflow.getHandle(execution.workflowId, execution.runId);
  let lastSent = 0;
  let unsent = false;

  return (progress, options) => {
    unsent ||= options.changed === true;
    const now = Date.now();
    if (!handle) return;
    if (!options.force && !(unsent && now - lastSent >= minimumIntervalMs)) return;

    lastSent = now;
    unsent = false;
    void handle.signal(watcherProgressSignal, { ...progress, session }).catch((error: unknown) => {
      log.warn(
        { workflowId: handle.workflowId, error: (error as Error).message },
        'watcher progress not delivered',
      );
    });
  };
}
