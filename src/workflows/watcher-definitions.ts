/**
 * Names shared by the directory watcher workflow and the code that talks to it. Pure: safe to
 * import from workflow code.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { Watermark } from '../directory/change-marker.js';

/** Workflow id of the directory watcher of one deployment: one per task queue. */
export function watcherWorkflowId(taskQueue: string): string {
  return `directory-watcher-${taskQueue}`;
}

/** What the watcher did, in counts: never names or ids. */
export interface WatcherCounts {
  readonly polls: number;
  /** Changed user entries read, in scope or not. */
  readonly usersChanged: number;
  /** Changed groups among the scope groups and the groups nested in them. */
  readonly groupsChanged: number;
  /** Users whose workflow was signalled with a new desired state. */
  readonly dispatched: number;
  readonly conflicts: number;
  /** Disables not sent because the deprovision guard would hold them: left to a full reconcile. */
  readonly heldDisables: number;
  /** Full reconciles started because the changes could not be followed one by one. */
  readonly fullReconciles: number;
}

export const noCounts: WatcherCounts = {
  polls: 0,
  usersChanged: 0,
  groupsChanged: 0,
  dispatched: 0,
  conflicts: 0,
  heldDisables: 0,
  fullReconciles: 0,
};

/** Adds two sets of counts. */
export function addCounts(a: WatcherCounts, b: WatcherCounts): WatcherCounts {
  return {
    polls: a.polls + b.polls,
    usersChanged: a.usersChanged + b.usersChanged,
    groupsChanged: a.groupsChanged + b.groupsChanged,
    dispatched: a.dispatched + b.dispatched,
    conflicts: a.conflicts + b.conflicts,
    heldDisables: a.heldDisables + b.heldDisables,
    fullReconciles: a.fullReconciles + b.fullReconciles,
  };
}

/** Where the watcher stands, as the watcherStatus query returns it: counts since it first started. */
export interface WatcherStatus extends WatcherCounts {
  /** True while a session has read the scope and polls for changes. */
  readonly watching: boolean;
  /** The change attribute's value up to which every change was handled. */
  readonly watermark: Watermark | undefined;
  /** Sessions of the watching activity started, each a few minutes to half an hour long. */
  readonly sessions: number;
  /** The stable type of the last failure (e.g. `Directory:unreachable`); unset once a poll succeeds. */
  readonly lastError: string | undefined;
  /** When the watcher last reported, as an ISO time. */
  readonly updatedAt: string | undefined;
}

/** Sent by the watching activity to its workflow: the counts of its session so far. */
export interface WatcherProgress {
  /** The session that reports; a report of an earlier one is ignored. */
  readonly session: number;
  readonly watching: boolean;
  readonly watermark: Watermark | undefined;
  readonly counts: WatcherCounts;
  readonly lastError: string | undefined;
}

export const watcherProgressSignal = defineSignal<[WatcherProgress]>('watcherProgress');
export const watcherStatusQuery = defineQuery<WatcherStatus>('watcherStatus');
