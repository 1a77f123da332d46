import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Config } from '../config/load.js';
import type { Logger } from '../log.js';
import { compareDirectoryWithServiceNow } from '../reconcile/compare.js';
import type { Decision } from '../reconcile/decide.js';
import { evaluateGuard } from '../reconcile/guard.js';
import type { Conflict } from '../reconcile/plan.js';
import type { ServiceNowClient } from '../servicenow/client.js';
import { dispatchChanges } from './dispatch.js';
import { withFailureTypes } from './failures.js';
import { reportProgressTo } from './progress.js';
import { awaitUsersSettled, deliverVerdict, type SettleResult } from './settle.js';

export type { SettleResult } from './settle.js';

export interface ReconcileActivityDeps {
  readonly config: Config;
  readonly serviceNow: ServiceNowClient;
  readonly temporal: Client;
  readonly log: Logger;
}

/** At most this many skipped entries and conflicts are listed in a result; the counts are complete. */
const listedLimit = 50;

export interface CompareAndDispatchResult {
  readonly directory: { readonly entriesRead: number; readonly inScope: number; readonly skipped: number };
  readonly serviceNowAccounts: number;
  readonly managedUsers: number;
  readonly planned: Readonly<Record<Decision['kind'], number>>;
  readonly inStep: number;
  /** Users signalled, including those whose disable the guard held back. */
  readonly dispatched: number;
  /**
   * The id the users were signalled under, which the settle step and the guard's verdict must use:
   * the reconcile's id, with `-<attempt>` appended when this activity was retried.
   */
  readonly dispatchId: string;
  /** Disables held back by the deprovision guard until an operator decides; 0 when it did not trip. */
  readonly heldDisables: number;
  /** Why the guard tripped, when it did. */
  readonly guardReason: string | undefined;
  readonly conflicts: number;
  readonly skippedEntries: readonly { readonly dn: string; readonly reason: string }[];
  readonly conflictList: readonly Conflict[];
}

/** Activities run by the reconciler workflow. They return counts, never per-user data in bulk. */
export function createReconcileActivities(deps: ReconcileActivityDeps) {
  return {
    /**
     * Reads the directory, ServiceNow and the product's managed users, decides for each user by the
     * decision table, and signal-with-starts the workflow of each user who needs a change. When the
     * deprovision guard trips, the disables are sent as held back. Running it again is harmless: a
     * user workflow that is already in step writes nothing.
     */
    compareAndDispatch: (input: { reconcileId: string }): Promise<CompareAndDispatchResult> =>
      withFailureTypes(() => compareAndDispatch(deps, input.reconcileId)),

    /** Waits until every user dispatched by a reconcile has handled its signal, or the timeout passes. */
    awaitUsersSettled: (input: {
      reconcileId: string;
      dispatched: number;
      timeoutMs: number;
    }): Promise<SettleResult> =>
      withFailureTypes(() =>
        awaitUsersSettled(deps.temporal, input, reportProgressTo(deps.temporal, deps.log)),
      ),

    /** Tells the users whose disable this reconcile held back whether the operator approved it. */
    deliverGuardVerdict: (input: {
      reconcileId: string;
      held: number;
      approved: boolean;
      timeoutMs: number;
    }): Promise<number> => withFailureTypes(() => deliverVerdict(deps.temporal, input)),
  };
}

export type ReconcileActivities = ReturnType<typeof createReconcileActivities>;

async function compareAndDispatch(
  deps: ReconcileActivityDeps,
  reconcileId: string,
): Promise<CompareAndDispatchResult> {
  const { config, log } = deps;
  const report = reportProgressTo(deps.temporal, log);
  // An attempt retried after a worker died signals under an id of its own. Users an earlier attempt
  // finished carry the plain id and need nothing now; every user still in flight is planned and
  // signalled again. Counting handled users under the plain id would include the finished ones and
  // end the settle step while the ones in flight are still being written.
  const { attempt } = Context.current().info;
  const dispatchId = attempt > 1 ? `${reconcileId}-${attempt}` : reconcileId;

  report({ stage: 'reading' });
  const onRead = (stage: string, count: number): void =>
    report(stage === 'reading ServiceNow' ? { serviceNowAccounts: count } : { managedUsers: count });
  const { plan, directory, accounts, managed, skipped } = await compareDirectoryWithServiceNow(deps, {
    onProgress: onRead,
    listUnchanged: false,
  });
  report({ directoryUsers: directory.inScope, serviceNowAccounts: accounts, managedUsers: managed });

  const disables = plan.changes.filter((c) => c.decision.kind === 'disable');
  const others = plan.changes.filter((c) => c.decision.kind !== 'disable');
  const guard = evaluateGuard({
    disables: disables.length,
    managedUsers: managed + plan.takenOver,
    usersInScope: directory.inScope,
    limits: config.reconcile.guard,
  });
  if (guard.hold)
    log.warn({ dispatchId, disables: disables.length, reason: guard.reason }, 'disables held for approval');

  report({ stage: 'dispatching', dispatched: 0 });
  const common = {
    taskQueue: config.temporal.taskQueue,
    reconcileId: dispatchId,
    onProgress: (n: number) => report({ dispatched: n }),
  };
  await dispatchChanges(deps.temporal, others, { ...common, awaitApproval: false });
  const onHeldProgress = (n: number) => report({ dispatched: others.length + n });
  await dispatchChanges(deps.temporal, disables, {
    ...common,
    awaitApproval: guard.hold,
    onProgress: onHeldProgress,
  });
  report({ dispatched: plan.changes.length }, { force: true });

  const planned = { create: 0, link: 0, update: 0, enable: 0, disable: 0, none: 0 };
  for (const change of plan.changes) planned[change.decision.kind] += 1;
  planned.none += plan.inStep;

  const result: CompareAndDispatchResult = {
    directory: { entriesRead: directory.entriesRead, inScope: directory.inScope, skipped: skipped.length },
    serviceNowAccounts: accounts,
    managedUsers: managed,
    planned,
    inStep: plan.inStep,
    dispatched: plan.changes.length,
    dispatchId,
    heldDisables: guard.hold ? disables.length : 0,
    guardReason: guard.hold ? guard.reason : undefined,
    conflicts: plan.conflicts.length,
    skippedEntries: skipped.slice(0, listedLimit),
    conflictList: plan.conflicts.slice(0, listedLimit),
  };
  log.info(
    { reconcileId, ...result, skippedEntries: undefined, conflictList: undefined },
    'reconcile compared',
  );
  return result;
}
