import type { Client } from '@temporalio/client';
import type { ManagedUser } from '../reconcile/plan.js';
import { searchAttributes } from '../workflows/definitions.js';

const userWorkflowPrefix = 'user-';

/**
 * Every user the product has a workflow for, from Temporal's visibility store: the product's own
 * record of which accounts it linked or created. Visibility trails the workflows by a moment; a
 * change still in flight is seen at the next reconcile, and the user workflow re-reads before it
 * writes, so the lag can delay an action but never cause a wrong one. Scoped to the task queue, so
 * two deployments sharing a namespace never see each other's users.
 */
export async function readManagedUsers(
  client: Client,
  taskQueue: string,
  onProgress?: (count: number) => void,
): Promise<ManagedUser[]> {
  const users: ManagedUser[] = [];
  const query = `WorkflowType = 'userLifecycleWorkflow' AND TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`;
  for await (const execution of client.workflow.list({ query })) {
    if (!execution.workflowId.startsWith(userWorkflowPrefix)) continue;
    const attrs = execution.typedSearchAttributes;
    users.push({
      directoryId: execution.workflowId.slice(userWorkflowPrefix.length),
      sysId: attrs.get(searchAttributes.sysId),
      state: attrs.get(searchAttributes.state),
      userName: attrs.get(searchAttributes.userName),
    });
    if (users.length % 1000 === 0) onProgress?.(users.length);
  }
  return users;
}
