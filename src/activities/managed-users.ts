import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { ManagedUser } from '../reconcile/plan.js';
import { searchAttributes } from '../workflows/definitions.js';

const userWorkflowPrefix = 'user-';

/**
 * How far back a re-read looks before the previous read began: visibility trails the workflows by a
 * moment (more on a busy Elasticsearch), and the worker's clock may differ from the server's a little.
 */
export const visibilityLagAllowanceMs = 30_000;

/** A snapshot older than this is read again in full, whatever the re-reads found. */
export const fullReadIntervalMs = 60 * 60_000;

/** What one read of the managed users did, for logs and tests. */
export interface ManagedUsersRead {
  readonly users: ManagedUser[];
  /** 'full': every running user workflow was listed; 'changes': only those changed since the last read. */
  readonly kind: 'full' | 'changes';
  /** Executions visibility returned. */
  readonly listed: number;
  /** Why a re-read of the changes was not enough, when it was not. */
  readonly fullReadReason?: string;
}

interface Snapshot {
  readonly users: ReadonlyMap<string, ManagedUser>;
  /** Local time at which the read that made this snapshot began. */
  readonly readStartedAt: number;
  /** Local time of the last full read. */
  readonly fullReadAt: number;
}

/** One snapshot per client and task queue: each worker process keeps its own, in memory only. */
const snapshots = new WeakMap<Client, Map<string, Snapshot>>();

/**
 * Every user the product has a workflow for, from Temporal's visibility store: the product's own
 * record of which accounts it linked or created. Visibility trails the workflows by a moment; a
 * change still in flight is seen at the next reconcile, and the user workflow re-reads before it
 * writes, so the lag can delay an action but never cause a wrong one. Scoped to the task queue, so
 * two deployments sharing a namespace never see each other's users.
 *
 * Listing every user workflow is what a reconcile of an unchanged directory spent most of its time
 * on (the dev server returns about 3,000 a second). So the first read lists them all, and later
 * reads in the same process list only the workflows started, changed (`ProvisioningUpdatedAt`) or
 * closed since the previous read began, less the lag allowance, and apply them to the snapshot. The
 * count of running user workflows must then equal the snapshot's, or the read starts over in full;
 * and every hour the read is full anyway.
 */
export async function readManagedUsers(
  client: Client,
  taskQueue: string,
  options: {
    onProgress?: (count: number) => void;
    /** The local clock, and the lag allowance: for tests. */
    now?: () => number;
    lagAllowanceMs?: number;
  } = {},
): Promise<ManagedUsersRead> {
  const now = options.now ?? Date.now;
  const lagAllowanceMs = options.lagAllowanceMs ?? visibilityLagAllowanceMs;
  const byQueue = snapshots.get(client) ?? new Map<string, Snapshot>();
  snapshots.set(client, byQueue);
  const userWorkflows = `WorkflowType = 'userLifecycleWorkflow' AND TaskQueue = '${taskQueue}'`;
  const running = `${userWorkflows} AND ExecutionStatus = 'Running'`;
  const previous = byQueue.get(taskQueue);
  const startedAt = now();

  const readInFull = async (fullReadReason?: string): Promise<ManagedUsersRead> => {
    const begun = now();
    const users = new Map<string, ManagedUser>();
    for await (const execution of client.workflow.list({ query: running })) {
      const user = managedUserOf(execution);
      if (user) users.set(user.directoryId, user);
      if (users.size % 1000 === 0) options.onProgress?.(users.size);
    }
    byQueue.set(taskQueue, { users, readStartedAt: begun, fullReadAt: begun });
    return { users: [...users.values()], kind: 'full', listed: users.size, fullReadReason };
  };

  if (previous === undefined) return readInFull();
  if (startedAt - previous.fullReadAt > fullReadIntervalMs) return readInFull('the snapshot is an hour old');

  const since = new Date(previous.readStartedAt - lagAllowanceMs).toISOString();
  const changedQuery = `${userWorkflows} AND (${searchAttributes.updatedAt.name} >= '${since}' OR StartTime >= '${since}' OR CloseTime >= '${since}')`;
  const users = new Map(previous.users);
  const closed = new Set<string>();
  const stillRunning = new Set<string>();
  let listed = 0;
  for await (const execution of client.workflow.list({ query: changedQuery })) {
    listed += 1;
    const user = managedUserOf(execution);
    if (!user) continue;
    // A continued-as-new workflow shows its closed run and its running one: the running one wins.
    if (execution.status.name === 'RUNNING') {
      users.set(user.directoryId, user);
      stillRunning.add(user.directoryId);
    } else {
      closed.add(user.directoryId);
    }
  }
  for (const directoryId of closed) if (!stillRunning.has(directoryId)) users.delete(directoryId);

  const { count } = await client.workflow.count(running);
  if (count !== users.size) {
    return readInFull(`${count} user workflows run, the snapshot had ${users.size}`);
  }
  byQueue.set(taskQueue, { users, readStartedAt: startedAt, fullReadAt: previous.fullReadAt });
  options.onProgress?.(users.size);
  return { users: [...users.values()], kind: 'changes', listed };
}

function managedUserOf(execution: WorkflowExecutionInfo): ManagedUser | undefined {
  if (!execution.workflowId.startsWith(userWorkflowPrefix)) return undefined;
  const attrs = execution.typedSearchAttributes;
  return {
    directoryId: execution.workflowId.slice(userWorkflowPrefix.length),
    sysId: attrs.get(searchAttributes.sysId),
    state: attrs.get(searchAttributes.state),
    userName: attrs.get(searchAttributes.userName),
  };
}
