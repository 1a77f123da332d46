import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { searchAttributes } from '../workflows/definitions.js';

const userWorkflowPrefix = 'user-';

/** No running user workflow has this user name (or workflow id) on the deployment's task queue. */
export class UserNotFoundError extends Error {
  override readonly name = 'UserNotFoundError';

  constructor(
    readonly who: string,
    readonly taskQueue: string,
  ) {
    super(`no managed user ${who} on task queue ${taskQueue}`);
  }
}

/** Several directory entries share the user name: the operator must pick one by its workflow id. */
export class AmbiguousUserError extends Error {
  override readonly name = 'AmbiguousUserError';

  constructor(
    readonly who: string,
    readonly workflowIds: readonly string[],
  ) {
    super(
      `${workflowIds.length} managed users are named ${who}; name one by its workflow id: ${workflowIds.join(', ')}`,
    );
  }
}

/**
 * The workflow id of a managed user, found by user name in Temporal's visibility store, scoped to
 * the task queue so that another deployment's user of the same name is never picked. A workflow id
 * (`user-…`) is accepted as it is. Names are compared as the directory spells them (search attributes
 * are exact); when that finds nobody, the name in lower case is tried too.
 */
export async function findUserWorkflowId(client: Client, taskQueue: string, who: string): Promise<string> {
  if (who.startsWith(userWorkflowPrefix)) return checkWorkflowExists(client, taskQueue, who);

  for (const name of new Set([who, who.toLowerCase()])) {
    const ids = await userWorkflowIdsNamed(client, taskQueue, name);
    if (ids.length === 1) return ids[0]!;
    if (ids.length > 1) throw new AmbiguousUserError(who, ids);
  }
  throw new UserNotFoundError(who, taskQueue);
}

async function userWorkflowIdsNamed(client: Client, taskQueue: string, userName: string): Promise<string[]> {
  const query = [
    `WorkflowType = 'userLifecycleWorkflow'`,
    `TaskQueue = ${quote(taskQueue)}`,
    `ExecutionStatus = 'Running'`,
    `${searchAttributes.userName.name} = ${quote(userName)}`,
  ].join(' AND ');
  const ids: string[] = [];
  for await (const execution of client.workflow.list({ query })) ids.push(execution.workflowId);
  return ids.sort();
}

async function checkWorkflowExists(client: Client, taskQueue: string, workflowId: string): Promise<string> {
  try {
    const description = await client.workflow.getHandle(workflowId).describe();
    if (description.taskQueue === taskQueue) return workflowId;
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  throw new UserNotFoundError(workflowId, taskQueue);
}

/** A string literal of Temporal's visibility query language: the value can never become query syntax. */
export function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
