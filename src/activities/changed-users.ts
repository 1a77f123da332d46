import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { TypedSearchAttributes } from '@temporalio/common';
import pLimit from 'p-limit';
import type { ManagedUser } from '../reconcile/plan.js';
import type { ServiceNowClient } from '../servicenow/client.js';
import type { ServiceNowUser } from '../servicenow/types.js';
import type { DesiredUser } from '../reconcile/desired-user.js';
import { searchAttributes, userWorkflowId } from '../workflows/definitions.js';

/** Lookups in flight at once, toward Temporal and toward ServiceNow. */
const lookupConcurrency = 16;
/** sys_ids per visibility query when looking for the owners of accounts. */
const ownerBatch = 50;

/** What the plan needs to know about some users, read for them alone. */
export interface ChangedUsersSides {
  readonly accounts: readonly ServiceNowUser[];
  /** The changed users the product manages, then the owners of the accounts found. */
  readonly managed: readonly ManagedUser[];
}

/**
 * Reads, for the changed users only, what the full reconcile reads for everyone: whether the
 * product manages them (their workflow, described directly, so a user provisioned a moment ago is
 * seen), their linked accounts and the accounts matching their user_name (the client's safe
 * lookups), and which managed user owns each account found.
 */
export async function readChangedUsersSides(
  deps: { readonly temporal: Client; readonly serviceNow: ServiceNowClient; readonly taskQueue: string },
  changedIds: readonly string[],
  desired: readonly DesiredUser[],
  fields: readonly string[],
): Promise<ChangedUsersSides> {
  const limit = pLimit(lookupConcurrency);
  const described = await Promise.all(changedIds.map((id) => limit(() => describeManaged(deps, id))));
  const managed = described.filter((m): m is ManagedUser => m !== undefined);

  const linked = managed.flatMap((m) => (m.sysId ? [m.sysId] : []));
  const found = await Promise.all([
    ...linked.map((sysId) => limit(async () => [await deps.serviceNow.getUser(sysId, fields)])),
    ...desired.map((d) => limit(() => deps.serviceNow.findUsersByUserName(d.userName, fields))),
  ]);
  const accounts = new Map<string, ServiceNowUser>();
  for (const account of found.flat()) if (account) accounts.set(account.sysId, account);

  const known = new Set(managed.map((m) => m.sysId));
  const owners = await readOwners(
    deps,
    [...accounts.keys()].filter((sysId) => !known.has(sysId)),
  );
  const ids = new Set(managed.map((m) => m.directoryId));
  return {
    accounts: [...accounts.values()],
    managed: [...managed, ...owners.filter((o) => !ids.has(o.directoryId))],
  };
}

async function describeManaged(
  deps: { readonly temporal: Client; readonly taskQueue: string },
  directoryId: string,
): Promise<ManagedUser | undefined> {
  try {
    const execution = await deps.temporal.workflow.getHandle(userWorkflowId(directoryId)).describe();
    if (execution.status.name !== 'RUNNING' || execution.taskQueue !== deps.taskQueue) return undefined;
    return managedUserOf(directoryId, execution.typedSearchAttributes);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}

/** The running user workflows of this task queue linked to these accounts. */
async function readOwners(
  deps: { readonly temporal: Client; readonly taskQueue: string },
  sysIds: readonly string[],
): Promise<ManagedUser[]> {
  // sys_ids are 32 hex digits; anything else could change the meaning of the query, and owns nothing.
  const safe = sysIds.filter((sysId) => /^[0-9a-f]{32}$/i.test(sysId));
  const owners: ManagedUser[] = [];
  for (let i = 0; i < safe.length; i += ownerBatch) {
    const list = safe
      .slice(i, i + ownerBatch)
      .map((sysId) => `'${sysId}'`)
      .join(', ');
    const query =
      `WorkflowType = 'userLifecycleWorkflow' AND TaskQueue = '${deps.taskQueue}' AND ` +
      `ExecutionStatus = 'Running' AND ${searchAttributes.sysId.name} IN (${list})`;
    for await (const execution of deps.temporal.workflow.list({ query })) {
      if (!execution.workflowId.startsWith('user-')) continue;
      owners.push(managedUserOf(execution.workflowId.slice('user-'.length), execution.typedSearchAttributes));
    }
  }
  return owners;
}

function managedUserOf(directoryId: string, attributes: TypedSearchAttributes): ManagedUser {
  return {
    directoryId,
    sysId: attributes.get(searchAttributes.sysId),
    state: attributes.get(searchAttributes.state),
    userName: attributes.get(searchAttributes.userName),
  };
}
