import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import pLimit from 'p-limit';
import type { Config } from '../config/load.js';
import type { Logger } from '../log.js';
import type { Decision } from '../reconcile/decide.js';
import { compareDirectoryWithServiceNow } from '../reconcile/compare.js';
import type { Conflict, PlannedChange } from '../reconcile/plan.js';
import type { ServiceNowClient } from '../servicenow/client.js';
import {
  desiredStateSignal,
  searchAttributes,
  userWorkflowId,
  type DesiredStateSignal,
} from '../workflows/definitions.js';
import type { userLifecycleWorkflow } from '../workflows/user-lifecycle.js';
import { withFailureTypes } from './failures.js';

export interface ReconcileActivityDeps {
  readonly config: Config;
  readonly serviceNow: ServiceNowClient;
  readonly temporal: Client;
  readonly log: Logger;
}

/** At most this many skipped entries and conflicts are listed in a result; the counts are complete. */
const listedLimit = 50;
/** Signals in flight at once toward Temporal while dispatching. */
const dispatchConcurrency = 32;

export interface CompareAndDispatchResult {
  readonly directory: { readonly entriesRead: number; readonly inScope: number; readonly skipped: number };
  readonly serviceNowAccounts: number;
  readonly managedUsers: number;
  readonly planned: Readonly<Record<Decision['kind'], number>>;
  readonly inStep: number;
  readonly dispatched: number;
  readonly conflicts: number;
  readonly skippedEntries: readonly { readonly dn: string; readonly reason: string }[];
  readonly conflictList: readonly Conflict[];
}

export interface SettleResult {
  readonly settled: number;
  readonly failed: number;
  readonly unsettled: number;
}

/** Activities run by the reconciler workflow. They return counts, never per-user data in bulk. */
export function createReconcileActivities(deps: ReconcileActivityDeps) {
  return {
    /**
     * Reads the directory, ServiceNow and the product's managed users, decides for each user by the
     * decision table, and signal-with-starts the workflow of each user who needs a change. Running it
     * again is harmless: a user workflow that is already in step writes nothing.
     */
    compareAndDispatch: (input: { reconcileId: string }): Promise<CompareAndDispatchResult> =>
      withFailureTypes(() => compareAndDispatch(deps, input.reconcileId)),

    /** Waits until every user dispatched by a reconcile has handled its signal, or the timeout passes. */
    awaitUsersSettled: (input: {
      reconcileId: string;
      dispatched: number;
      timeoutMs: number;
    }): Promise<SettleResult> => withFailureTypes(() => awaitUsersSettled(deps, input)),
  };
}

export type ReconcileActivities = ReturnType<typeof createReconcileActivities>;

async function compareAndDispatch(
  deps: ReconcileActivityDeps,
  reconcileId: string,
): Promise<CompareAndDispatchResult> {
  const heartbeat = (stage: string, count = 0): void => Context.current().heartbeat({ stage, count });

  heartbeat('reading');
  const { plan, scope, accounts, managed, skipped } = await compareDirectoryWithServiceNow(deps, heartbeat);
  await dispatch(deps, reconcileId, plan.changes, heartbeat);

  const planned = { create: 0, link: 0, update: 0, enable: 0, disable: 0, none: 0 };
  for (const change of plan.changes) planned[change.decision.kind] += 1;
  planned.none += plan.inStep;

  const result: CompareAndDispatchResult = {
    directory: { entriesRead: scope.entriesRead, inScope: scope.users.length, skipped: skipped.length },
    serviceNowAccounts: accounts,
    managedUsers: managed,
    planned,
    inStep: plan.inStep,
    dispatched: plan.changes.length,
    conflicts: plan.conflicts.length,
    skippedEntries: skipped.slice(0, listedLimit),
    conflictList: plan.conflicts.slice(0, listedLimit),
  };
  deps.log.info(
    { reconcileId, ...result, skippedEntries: undefined, conflictList: undefined },
    'reconcile compared',
  );
  return result;
}

async function dispatch(
  deps: ReconcileActivityDeps,
  reconcileId: string,
  changes: readonly PlannedChange[],
  heartbeat: (stage: string, count: number) => void,
): Promise<void> {
  const limit = pLimit(dispatchConcurrency);
  let done = 0;
  await Promise.all(
    changes.map((change) =>
      limit(async () => {
        await deps.temporal.workflow.signalWithStart<typeof userLifecycleWorkflow, [DesiredStateSignal]>(
          'userLifecycleWorkflow',
          {
            workflowId: userWorkflowId(change.directoryId),
            taskQueue: deps.config.temporal.taskQueue,
            args: [{ directoryId: change.directoryId }],
            signal: desiredStateSignal,
            signalArgs: [{ reconcileId, desired: change.desired }],
          },
        );
        done += 1;
        if (done % 100 === 0) heartbeat('dispatching', done);
      }),
    ),
  );
}

async function awaitUsersSettled(
  deps: ReconcileActivityDeps,
  input: { reconcileId: string; dispatched: number; timeoutMs: number },
): Promise<SettleResult> {
  const settledQuery = `${searchAttributes.reconciles.name} = '${input.reconcileId}'`;
  const deadline = Date.now() + input.timeoutMs;
  let settled = 0;

  while (input.dispatched > 0) {
    settled = (await deps.temporal.workflow.count(settledQuery)).count;
    Context.current().heartbeat({ settled });
    if (settled >= input.dispatched || Date.now() > deadline) break;
    await Context.current().sleep(500);
  }

  const failedQuery = `${settledQuery} AND ${searchAttributes.state.name} = 'failed'`;
  const failed = input.dispatched > 0 ? (await deps.temporal.workflow.count(failedQuery)).count : 0;
  return { settled, failed, unsettled: Math.max(0, input.dispatched - settled) };
}
