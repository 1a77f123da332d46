import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { WorkflowHandle } from '@temporalio/client';
import { removeFromGroup } from '../../src/dev/directory-fixtures.js';
import { ensureReconcileSchedule, reconcileScheduleId } from '../../src/temporal/schedule.js';
import { reconcileProgressQuery, userStateQuery } from '../../src/workflows/definitions.js';
import type { reconcileWorkflow } from '../../src/workflows/reconcile.js';
import { eventually } from '../helpers/eventually.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { startTemporal, temporalCli, type TemporalForTests } from '../helpers/temporal.js';
import { hire } from './helpers.js';
import { readmeTemporalCommands, shellWords } from './readme-commands.js';

/**
 * Runs every `temporal` command of the README, as written, against a real stack: the same binary an
 * operator uses, with only the test's task queue, ids and server address put in. Each command has a
 * check that proves it did what the README's comment says; a README command without one fails.
 */

const commands = readmeTemporalCommands();
const run = promisify(execFile);

let temporal: TemporalForTests;
let stack: Stack;
/** Values for the README's placeholders, filled in as the stack gets there. */
const placeholders = new Map<string, string>();
/** A reconcile the deprovision guard holds, waiting for a verdict, if one is now. */
let held: { handle: WorkflowHandle<typeof reconcileWorkflow>; leaver: string } | undefined;
const leavers = ['leaver1', 'leaver2'];
let guardedRuns = 0;

beforeAll(async () => {
  temporal = await startTemporal();
  // Every disable waits for an operator, so the guard's commands have a reconcile to act on.
  stack = await startStack(temporal, { config: { reconcile: { guard: { maxDisables: 0 } } } });
  for (const uid of ['jsmith', ...leavers]) await hire(stack.slapd, uid);
  await hire(stack.slapd, 'wordy', { title: 'x'.repeat(61) });
  await stack.reconcile();

  placeholders.set('servicenow-provisioning', stack.config.temporal.taskQueue);
  placeholders.set('user-<entryUUID>', await workflowIdOf('jsmith'));
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await temporal?.teardown();
});

async function workflowIdOf(userName: string): Promise<string> {
  const query = `ProvisioningUserName = '${userName}' AND TaskQueue = '${stack.config.temporal.taskQueue}'`;
  return eventually(async () => {
    const ids: string[] = [];
    for await (const execution of temporal.client.workflow.list({ query })) ids.push(execution.workflowId);
    expect(ids).toHaveLength(1);
    return ids[0]!;
  });
}

/** The README line with the test's values in place of the README's, split into arguments. */
function argumentsOf(line: string): string[] {
  let text = line;
  for (const [from, to] of placeholders) text = text.replaceAll(from, to);
  const unknown = /<[^>]+>/.exec(text);
  if (unknown) throw new Error(`this test has no value for the README's placeholder ${unknown[0]}`);
  const [program, ...args] = shellWords(text);
  expect(program).toBe('temporal');
  return [...args, '--address', temporal.address, '--namespace', 'default'];
}

async function temporalCommand(line: string): Promise<string> {
  const { stdout } = await run(temporalCli, argumentsOf(line), { timeout: 60_000 });
  return stdout;
}

/** Starts a reconcile with one more leaver and waits until the guard holds its disable. */
async function holdADisable(): Promise<NonNullable<typeof held>> {
  if (held) return held;
  const leaver = leavers[guardedRuns++]!;
  await removeFromGroup(stack.slapd, 'servicenow-users', `uid=${leaver},${stack.slapd.peopleDn}`);
  const handle = await stack.startReconcile();
  await eventually(async () =>
    expect((await handle.query(reconcileProgressQuery)).stage).toBe('awaiting-approval'),
  );
  placeholders.set('<reconcile id>', handle.workflowId);
  held = { handle, leaver };
  return held;
}

async function userState(userName: string) {
  return temporal.client.workflow.getHandle(await workflowIdOf(userName)).query(userStateQuery);
}

const scheduleDescription = () =>
  temporal.client.schedule.getHandle(reconcileScheduleId(stack.config.temporal.taskQueue)).describe();

interface Check {
  /** Picks the README command this check is for. */
  readonly command: RegExp;
  /** Brings the stack where the command makes sense (a guarded reconcile waiting, a schedule). */
  readonly before?: () => Promise<unknown>;
  /** Proves the command did what the README says; retried a while for answers that may lag. */
  readonly after: (stdout: string) => void | Promise<void>;
  /** The command only reads: run it again while `after` fails (visibility can lag a little). */
  readonly rerun?: boolean;
}

const checks: Check[] = [
  {
    command: /^temporal workflow start --type reconcileWorkflow .*--workflow-id reconcile-now/,
    before: () => hire(stack.slapd, 'newhire'),
    async after(stdout) {
      expect(stdout).toContain('reconcile-now');
      const summary = await temporal.client.workflow
        .getHandle<typeof reconcileWorkflow>('reconcile-now')
        .result();
      // The new hire, and the user whose title ServiceNow refuses, tried once more.
      expect(summary.planned).toMatchObject({ create: 2, disable: 0 });
      expect(summary.outcome).toMatchObject({ failed: 1, unsettled: 0 });
      expect(stack.account('newhire')).toMatchObject({ active: 'true' });
    },
  },
  {
    command: /^temporal workflow query --workflow-id reconcile-now --name reconcileProgress$/,
    after(stdout) {
      expect(stdout).toMatch(/"stage":\s*"done"/);
    },
  },
  {
    command: /^temporal workflow result --workflow-id reconcile-now$/,
    async after(stdout) {
      const summary = await temporal.client.workflow
        .getHandle<typeof reconcileWorkflow>('reconcile-now')
        .result();
      expect(stdout).toContain(summary.reconcileId);
      expect(stdout).toMatch(/"planned"/);
    },
  },
  {
    command: /^temporal workflow list --query 'ProvisioningState="failed"'$/,
    rerun: true,
    async after(stdout) {
      expect(stdout).toContain(await workflowIdOf('wordy'));
      expect(stdout).not.toContain(await workflowIdOf('jsmith'));
    },
  },
  {
    command: /^temporal workflow list --query 'ProvisioningUserName="jsmith"'$/,
    rerun: true,
    async after(stdout) {
      expect(stdout).toContain(await workflowIdOf('jsmith'));
      expect(stdout).not.toContain(await workflowIdOf('wordy'));
    },
  },
  {
    command: /^temporal workflow query --workflow-id user-<entryUUID> --name userState$/,
    after(stdout) {
      expect(stdout).toMatch(/"userName":\s*"jsmith"/);
      expect(stdout).toMatch(/"state":\s*"active"/);
    },
  },
  {
    command: /^temporal workflow signal --workflow-id user-<entryUUID> --name manualDisable /,
    async after() {
      await eventually(() => expect(stack.account('jsmith')).toMatchObject({ active: 'false' }));
      expect(await userState('jsmith')).toMatchObject({
        state: 'held',
        hold: { reason: 'security review', by: 'alice' },
      });
    },
  },
  {
    command: /^temporal workflow signal --workflow-id user-<entryUUID> --name release$/,
    async after() {
      await eventually(() => expect(stack.account('jsmith')).toMatchObject({ active: 'true' }));
      const state = await userState('jsmith');
      expect(state.state).toBe('active');
      expect(state.hold).toBeUndefined();
    },
  },
  {
    command: /^temporal schedule describe --schedule-id reconcile-servicenow-provisioning$/,
    before: () => ensureReconcileSchedule(temporal.client, stack.config),
    after(stdout) {
      expect(stdout).toContain(reconcileScheduleId(stack.config.temporal.taskQueue));
      expect(stdout).toContain('reconcileWorkflow');
    },
  },
  {
    command: /^temporal schedule toggle --schedule-id reconcile-servicenow-provisioning --pause /,
    async after() {
      expect((await scheduleDescription()).state).toMatchObject({
        paused: true,
        note: 'directory migration',
      });
    },
  },
  {
    command: /^temporal schedule toggle --schedule-id reconcile-servicenow-provisioning --unpause /,
    async after() {
      expect((await scheduleDescription()).state).toMatchObject({ paused: false, note: 'migration done' });
    },
  },
  {
    command: /^temporal schedule trigger --schedule-id reconcile-servicenow-provisioning$/,
    async after() {
      const started = await eventually(async () => {
        const [action] = (await scheduleDescription()).info.recentActions;
        expect(action).toBeDefined();
        return action!.action.workflow;
      });
      const handle = temporal.client.workflow.getHandle<typeof reconcileWorkflow>(started.workflowId);
      expect(await handle.result()).toMatchObject({ outcome: { unsettled: 0 } });
    },
  },
  {
    command:
      /^temporal workflow list --query 'WorkflowType="reconcileWorkflow" AND ProvisioningState="awaiting-approval"'$/,
    before: holdADisable,
    rerun: true,
    async after(stdout) {
      expect(stdout).toContain((await holdADisable()).handle.workflowId);
    },
  },
  {
    command: /^temporal workflow signal --workflow-id <reconcile id> --name approveDisables /,
    before: holdADisable,
    async after() {
      const { handle, leaver } = await holdADisable();
      held = undefined;
      expect((await handle.result()).guard).toMatchObject({ verdict: 'approved', by: 'alice', held: 1 });
      expect(stack.account(leaver)).toMatchObject({ active: 'false' });
    },
  },
  {
    command: /^temporal workflow signal --workflow-id <reconcile id> --name rejectDisables /,
    before: holdADisable,
    async after() {
      const { handle, leaver } = await holdADisable();
      held = undefined;
      expect((await handle.result()).guard).toMatchObject({ verdict: 'rejected', by: 'alice', held: 1 });
      expect(stack.account(leaver)).toMatchObject({ active: 'true' });
    },
  },
];

describe('the Temporal CLI commands of the README', () => {
  test.each(commands)(
    '%s',
    async (line) => {
      const matching = checks.filter((check) => check.command.test(line));
      expect(matching).toHaveLength(1);
      const check = matching[0]!;

      await check.before?.();
      if (check.rerun) {
        await eventually(async () => check.after(await temporalCommand(line)), 30_000);
      } else {
        await check.after(await temporalCommand(line));
      }
    },
    120_000,
  );

  test('include the approve and reject signals of the deprovision guard, and every other checked command', () => {
    const unused = checks.filter((check) => !commands.some((line) => check.command.test(line)));
    expect(unused.map((check) => check.command.source)).toEqual([]);
  });
});
