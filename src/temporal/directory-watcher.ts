import { WorkflowIdConflictPolicy, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Config } from '../config/load.js';
import type { directoryWatcherWorkflow } from '../workflows/directory-watcher.js';
import { watcherWorkflowId } from '../workflows/watcher-definitions.js';

/** What ensureDirectoryWatcher found and did. */
export type WatcherOutcome = 'started' | 'running' | 'stopped' | 'off';

/**
 * Puts the directory watcher in line with `directory.incremental.enabled`: starts it when it should
 * run and does not (idempotent, so any number of workers starting at once make one watcher), and
 * cancels a running one when incremental detection is turned off.
 */
export async function ensureDirectoryWatcher(
  client: Client,
  config: Pick<Config, 'temporal' | 'directory'>,
): Promise<WatcherOutcome> {
  const { taskQueue } = config.temporal;
  const workflowId = watcherWorkflowId(taskQueue);
  const running = await isRunning(client, workflowId);

  if (!config.directory.incremental.enabled) {
    if (!running) return 'off';
    await client.workflow.getHandle(workflowId).cancel();
    return 'stopped';
  }
  if (running) return 'running';
  await client.workflow.start<typeof directoryWatcherWorkflow>('directoryWatcherWorkflow', {
    workflowId,
    taskQueue,
    args: [{}],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
  });
  return 'started';
}

async function isRunning(client: Client, workflowId: string): Promise<boolean> {
  try {
    const description = await client.workflow.getHandle(workflowId).describe();
    return description.status.name === 'RUNNING';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}
