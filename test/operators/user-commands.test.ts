import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { AmbiguousUserError, UserNotFoundError } from '../../src/cli/find-user.js';
import { runDisableCommand, runReleaseCommand, runStatusCommand } from '../../src/cli/user-commands.js';
import {
  desiredStateSignal,
  userWorkflowId,
  type DesiredStateSignal,
  type UserStateView,
} from '../../src/workflows/definitions.js';
import type { userLifecycleWorkflow } from '../../src/workflows/user-lifecycle.js';
import { eventually } from '../helpers/eventually.js';
import { desiredUser } from '../helpers/factories.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { startTemporal } from '../helpers/temporal.js';
import { captureOutput, hire } from './helpers.js';

let temporal: TestWorkflowEnvironment;
let stack: Stack;

beforeAll(async () => {
  temporal = await startTemporal();
  stack = await startStack(temporal);
  await hire(stack.slapd, 'jsmith');
  await hire(stack.slapd, "o'brien");
  await hire(stack.slapd, 'bystander');
  await stack.reconcile();
});

afterAll(async () => {
  await stack?.stop();
  await temporal?.teardown();
});

async function status(who: string): Promise<UserStateView & { workflowId: string }> {
  const out = captureOutput();
  await runStatusCommand(stack.config, who, { json: true }, out);
  return JSON.parse(out.text()) as UserStateView & { workflowId: string };
}

describe('per-user commands', () => {
  test("status finds a user by user name and shows the account's state", async () => {
    const out = captureOutput();

    await runStatusCommand(stack.config, 'jsmith', {}, out);

    const sysId = stack.account('jsmith')!.sys_id!;
    expect(out.text()).toMatch(/^jsmith\n\s+state\s+active\n\s+workflow\s+user-[0-9a-f-]+\n/);
    expect(out.text()).toContain(`sys_id          ${sysId}`);
    expect((await status('jsmith')).workflowId).toMatch(/^user-/);
  });

  test('finds a user whose name holds a quote, and by workflow id', async () => {
    const found = await status("o'brien");

    expect(found).toMatchObject({ userName: "o'brien", state: 'active' });
    expect(await status(found.workflowId)).toMatchObject({ userName: "o'brien" });
  });

  test('disable holds the account disabled with its reason until release enables it again', async () => {
    const out = captureOutput();

    await runDisableCommand(stack.config, 'jsmith', { reason: 'security review', by: 'alice' }, out);

    expect(stack.account('jsmith')).toMatchObject({ active: 'false', locked_out: 'true' });
    expect(out.text()).toMatch(/state\s+held/);
    expect(await status('jsmith')).toMatchObject({ hold: { reason: 'security review', by: 'alice' } });

    await stack.reconcile();
    expect(stack.account('jsmith')).toMatchObject({ active: 'false' });

    await runReleaseCommand(stack.config, 'jsmith', { by: 'alice' }, captureOutput());
    expect(stack.account('jsmith')).toMatchObject({ active: 'true' });
    const released = await status('jsmith');
    expect(released.state).toBe('active');
    expect(released.hold).toBeUndefined();
    expect(stack.account('bystander')).toMatchObject({ active: 'true' });
  });

  test('release of a user who is not held changes nothing', async () => {
    const writes = stack.writes().length;
    const out = captureOutput();

    await runReleaseCommand(stack.config, 'bystander', {}, out);

    expect(out.text()).toBe('bystander is not held; nothing to release\n');
    expect(stack.writes()).toHaveLength(writes);
  });

  test('names the user and the task queue when nobody has that name', async () => {
    await expect(runStatusCommand(stack.config, 'nobody', {}, captureOutput())).rejects.toThrow(
      new UserNotFoundError('nobody', stack.config.temporal.taskQueue),
    );
    await expect(
      runDisableCommand(stack.config, 'user-00000000', { reason: 'x' }, captureOutput()),
    ).rejects.toBeInstanceOf(UserNotFoundError);
  });

  test('refuses to guess between two users of the same name', async () => {
    const ids = ['twin-1', 'twin-2'].map((directoryId) => userWorkflowId(directoryId));
    for (const [i, workflowId] of ids.entries()) {
      await temporal.client.workflow.signalWithStart<typeof userLifecycleWorkflow, [DesiredStateSignal]>(
        'userLifecycleWorkflow',
        {
          workflowId,
          taskQueue: stack.config.temporal.taskQueue,
          args: [{ directoryId: `twin-${i + 1}` }],
          signal: desiredStateSignal,
          signalArgs: [
            { reconcileId: 'test', desired: desiredUser({ directoryId: `twin-${i + 1}`, userName: 'twin' }) },
          ],
        },
      );
    }

    await eventually(() =>
      expect(runStatusCommand(stack.config, 'twin', {}, captureOutput())).rejects.toThrow(
        new AmbiguousUserError('twin', ids.sort()),
      ),
    );
  });
});
