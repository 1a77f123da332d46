import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { runScheduleCommand } from '../../src/cli/schedule-commands.js';
import {
  describeReconcileSchedule,
  ensureReconcileSchedule,
  reconcileScheduleId,
  ScheduleMissingError,
} from '../../src/temporal/schedule.js';
import { eventually } from '../helpers/eventually.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { startTemporal } from '../helpers/temporal.js';
import { captureOutput } from './helpers.js';

let temporal: TestWorkflowEnvironment;
let stack: Stack;

beforeAll(async () => {
  temporal = await startTemporal();
  stack = await startStack(temporal, { config: { reconcile: { interval: '1s' } } });
});

afterAll(async () => {
  await stack?.stop();
  await temporal?.teardown();
});

const taskQueue = () => stack.config.temporal.taskQueue;
const schedule = (action: 'show' | 'apply' | 'pause' | 'resume' | 'trigger', note?: string) => {
  const out = captureOutput();
  return runScheduleCommand(stack.config, action, { note }, out).then(() => out.text());
};
/** Reconciles of this stack that have finished. */
const finishedReconciles = async () =>
  (
    await temporal.client.workflow.count(
      `WorkflowType = 'reconcileWorkflow' AND TaskQueue = '${taskQueue()}' AND ExecutionStatus = 'Completed'`,
    )
  ).count;

describe('the reconcile schedule', () => {
  test('names a missing schedule and how to create it', async () => {
    await expect(schedule('show')).rejects.toThrow(ScheduleMissingError);
    await expect(schedule('pause')).rejects.toThrow(/start the worker or run `provisioner schedule apply`/);
  });

  test('created twice from the same configuration is one schedule, skipping overlapping runs', async () => {
    expect(await ensureReconcileSchedule(temporal.client, stack.config)).toBe('created');
    expect(await schedule('apply')).toBe(
      `schedule ${reconcileScheduleId(taskQueue())} updated: a reconcile every 1s\n`,
    );

    const ids: string[] = [];
    for await (const s of temporal.client.schedule.list()) ids.push(s.scheduleId);
    expect(ids).toEqual([reconcileScheduleId(taskQueue())]);
    const description = await temporal.client.schedule.getHandle(ids[0]!).describe();
    expect(description.policies.overlap).toBe('SKIP');
    expect(description.spec.intervals).toMatchObject([{ every: 1000 }]);
  });

  test('runs reconciles until paused; paused, it runs none; trigger runs one now; resumed, it runs again', async () => {
    await eventually(async () => expect(await finishedReconciles()).toBeGreaterThanOrEqual(2));

    expect(await schedule('pause', 'directory maintenance')).toContain('paused');
    await eventually(async () =>
      expect((await describeReconcileSchedule(temporal.client, taskQueue())).runningWorkflowIds).toEqual([]),
    );
    const whilePaused = await finishedReconciles();
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(await finishedReconciles()).toBe(whilePaused);
    expect(await schedule('show')).toMatch(/state\s+paused \(directory maintenance\)/);

    await schedule('trigger');
    await eventually(async () => expect(await finishedReconciles()).toBe(whilePaused + 1));

    await schedule('resume');
    await eventually(async () => expect(await finishedReconciles()).toBeGreaterThan(whilePaused + 2));
    expect(await schedule('show')).toMatch(/state\s+active/);
  });

  test('an update keeps a paused schedule paused, as a worker restart must', async () => {
    await schedule('pause', 'kept across restarts');

    await ensureReconcileSchedule(temporal.client, stack.config);

    expect(await describeReconcileSchedule(temporal.client, taskQueue())).toMatchObject({
      paused: true,
      note: 'kept across restarts',
    });
  });
});
