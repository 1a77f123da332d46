import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import type {
  ReconcileActivities,
  CompareAndDispatchResult,
} from '../../src/activities/reconcile-activities.js';
import { startTemporal, workflowBundle, type TemporalForTests } from '../helpers/temporal.js';

/**
 * A reconcile of a directory in step, recorded by the reconcile workflow before it learnt to skip
 * the settle step when nobody was signalled: its history schedules `awaitUsersSettled`. Kept in
 * protobuf's binary form: the SDK's JSON reading of a history fails with this dependency tree
 * ("type must be a Type": two copies of protobufjs).
 */
const recordedBeforeSkip = temporal.api.history.v1.History.decode(
  readFileSync(new URL('./histories/reconcile-in-step-with-settle.bin', import.meta.url)),
);

let server: TemporalForTests;
beforeAll(async () => {
  server = await startTemporal();
});
afterAll(() => server?.teardown());

function passWith(reconcileId: string, dispatched: number): CompareAndDispatchResult {
  const planned = { create: dispatched, link: 0, update: 0, enable: 0, disable: 0, none: 3 };
  return {
    directory: { entriesRead: 3 + dispatched, inScope: 3 + dispatched, skipped: 0 },
    serviceNowAccounts: 3,
    managedUsers: 3,
    planned,
    inStep: 3,
    dispatched,
    dispatchId: reconcileId,
    heldDisables: 0,
    guardReason: undefined,
    conflicts: 0,
    skippedEntries: [],
    conflictList: [],
  };
}

/** Runs one reconcile whose comparison reports `dispatched` users signalled; the activities it ran. */
async function reconcileDispatching(dispatched: number) {
  const ran: string[] = [];
  const record = <T>(name: string, result: T): Promise<T> => {
    ran.push(name);
    return Promise.resolve(result);
  };
  const activities: ReconcileActivities = {
    compareAndDispatch: ({ reconcileId }) => record('compareAndDispatch', passWith(reconcileId, dispatched)),
    awaitUsersSettled: (input) =>
      record('awaitUsersSettled', { settled: input.dispatched, failed: 0, unsettled: 0 }),
    deliverGuardVerdict: () => record('deliverGuardVerdict', 0),
  };
  const taskQueue = `replay-${randomUUID()}`;
  const worker = await Worker.create({
    connection: server.nativeConnection,
    taskQueue,
    workflowBundle: workflowBundle(),
    activities,
  });
  return worker.runUntil(async () => {
    const handle = await server.client.workflow.start('reconcileWorkflow', {
      taskQueue,
      workflowId: `reconcile-${randomUUID()}`,
      args: [{}],
    });
    const summary = await handle.result();
    return { ran, summary, history: await handle.fetchHistory() };
  });
}

describe('the reconcile workflow across versions', () => {
  test('replays a reconcile recorded when a reconcile that signalled nobody still ran the settle step', async () => {
    const scheduled = (recordedBeforeSkip.events ?? []).flatMap(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [],
    );
    expect(scheduled).toEqual(['compareAndDispatch', 'awaitUsersSettled']);

    await expect(
      Worker.runReplayHistory({ workflowBundle: workflowBundle() }, recordedBeforeSkip, 'reconcile-in-step'),
    ).resolves.toBeUndefined();
  });

  test('ends without the settle step when nobody was signalled, and its history replays', async () => {
    const { ran, summary, history } = await reconcileDispatching(0);

    expect(ran).toEqual(['compareAndDispatch']);
    expect(summary).toMatchObject({ dispatched: 0, outcome: { settled: 0, failed: 0, unsettled: 0 } });
    await expect(
      Worker.runReplayHistory({ workflowBundle: workflowBundle() }, history, 'in-step'),
    ).resolves.toBeUndefined();
  });

  test('waits for the users it signalled', async () => {
    const { ran, summary } = await reconcileDispatching(2);

    expect(ran).toEqual(['compareAndDispatch', 'awaitUsersSettled']);
    expect(summary).toMatchObject({ dispatched: 2, outcome: { settled: 2, failed: 0, unsettled: 0 } });
  });
});
