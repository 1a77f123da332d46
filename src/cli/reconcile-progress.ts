import type { WorkflowHandle } from '@temporalio/client';
import cliProgress from 'cli-progress';
import { reconcileProgressQuery, type ReconcileProgress } from '../workflows/definitions.js';
import { writeLines, type Output } from './output.js';

/** How often the reconcile's progress query is asked. */
const pollMs = 500;
/** Without a terminal, a line at most this often unless the stage changes. */
const lineEveryMs = 5000;

/** Draws a reconcile's progress: a bar on a terminal, one plain line per change elsewhere. */
export interface ProgressView {
  show(progress: ReconcileProgress): void;
  stop(): void;
}

/**
 * Asks the reconcile for its progress until `finished` settles, showing each answer, and returns
 * what `finished` gives. A query that fails (the worker busy or restarting) is skipped, never fatal.
 */
export async function followProgress<T>(
  handle: WorkflowHandle,
  finished: Promise<T>,
  view: ProgressView,
): Promise<T> {
  let done = false;
  const ended = finished.finally(() => (done = true));
  try {
    while (!done) {
      const progress = await handle.query(reconcileProgressQuery).catch(() => undefined);
      if (progress && !done) view.show(progress);
      await Promise.race([
        ended.catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, pollMs)),
      ]);
    }
    const result = await ended;
    // The run ended between two polls: its last answer is the one that says it is done.
    const last = await handle.query(reconcileProgressQuery).catch(() => undefined);
    if (last) view.show(last);
    return result;
  } finally {
    view.stop();
  }
}

/** A progress bar of users done out of users dispatched, with the counts read, on a terminal stream. */
export function progressBar(stream: NodeJS.WriteStream): ProgressView {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format:
        '{stage} |{bar}| {value}/{total} users done | read {directoryUsers} directory, {serviceNowAccounts} ServiceNow, {managedUsers} managed',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    show(progress) {
      const total = Math.max(progress.dispatched, 1);
      const value = progress.stage === 'done' ? total : Math.min(progress.settled, total);
      if (!started) bar.start(total, value, progress);
      else {
        bar.setTotal(total);
        bar.update(value, progress);
      }
      started = true;
    },
    stop: () => bar.stop(),
  };
}

/** Plain lines for logs and pipes: one when the stage changes, otherwise at most one every few seconds. */
export function progressLines(out: Output, reconcileId: string): ProgressView {
  let last: ReconcileProgress | undefined;
  let latest: ReconcileProgress | undefined;
  let lastAt = 0;
  const write = (progress: ReconcileProgress): void => {
    writeLines(out, describeProgress(reconcileId, progress));
    last = progress;
    lastAt = Date.now();
  };
  return {
    show(progress) {
      latest = progress;
      if (JSON.stringify(progress) === JSON.stringify(last)) return;
      if (progress.stage !== last?.stage || Date.now() - lastAt >= lineEveryMs) write(progress);
    },
    stop() {
      if (latest && latest !== last) write(latest);
    },
  };
}

/** One line saying where a reconcile is: stage, counts read, users dispatched and done. */
export function describeProgress(reconcileId: string, p: ReconcileProgress): string {
  return (
    `reconcile ${reconcileId}: ${p.stage}; read ${p.directoryUsers} directory users, ` +
    `${p.serviceNowAccounts} ServiceNow accounts, ${p.managedUsers} managed users; ` +
    `${p.dispatched} dispatched, ${p.settled} done`
  );
}
