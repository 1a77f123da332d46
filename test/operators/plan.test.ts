import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { exitCodes } from '../../src/cli/exit-codes.js';
import { runPlanCommand } from '../../src/cli/plan-command.js';
import type { PlanReport } from '../../src/cli/plan-report.js';
import { deletePerson, lockPerson } from '../helpers/directory.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { startTemporal } from '../helpers/temporal.js';
import { captureOutput, directorySnapshot, hire } from './helpers.js';

let temporal: TestWorkflowEnvironment;
let stack: Stack | undefined;

beforeAll(async () => {
  temporal = await startTemporal();
});

afterAll(async () => {
  await temporal?.teardown();
});

afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

async function plan(s: Stack, options: { json?: boolean; all?: boolean } = {}) {
  const out = captureOutput();
  const code = await runPlanCommand(s.config, options, out);
  return {
    code,
    text: out.text(),
    report: options.json ? (JSON.parse(out.text()) as PlanReport) : undefined,
  };
}

const workflowCount = (s: Stack) =>
  temporal.client.workflow.count(`TaskQueue = '${s.config.temporal.taskQueue}'`).then((c) => c.count);

describe('provisioner plan', () => {
  test('says what the next reconcile would do for each user and why, with old and new values', async () => {
    const s = (stack = await startStack(temporal, {
      accounts: [
        {
          user_name: 'jsmith',
          first_name: 'John',
          last_name: 'Smyth',
          email: 'john@example.com',
          title: 'Engineer',
        },
      ],
    }));
    await hire(s.slapd, 'jsmith', { givenName: 'John', sn: 'Smith', mail: 'john@example.com' });
    await hire(s.slapd, 'newhire');
    await hire(s.slapd, 'dormant');
    await lockPerson(s.slapd, 'dormant');

    const { code, report } = await plan(s, { json: true });

    expect(code).toBe(exitCodes.changesPending);
    const byName = Object.fromEntries(report!.users.map((u) => [u.userName ?? u.directoryId, u]));
    expect(byName.jsmith).toMatchObject({
      action: 'link',
      reason: 'matching account found',
      writes: [{ field: 'last_name', from: 'Smyth', to: 'Smith' }],
    });
    expect(byName.newhire).toMatchObject({ action: 'create', reason: 'entered the scope' });
    expect(byName.newhire!.writes).toContainEqual({ field: 'title', from: '', to: 'Engineer' });
    expect(byName.newhire!.writes).toContainEqual({ field: 'active', from: '', to: 'true' });
    expect(byName.dormant).toMatchObject({
      action: 'none',
      reason: 'disabled in the directory; not provisioned',
    });
    expect(report!.counts).toMatchObject({ create: 1, link: 1, none: 1 });
  });

  test('writes nothing anywhere: only reads ServiceNow, starts no workflow, leaves the directory as it was', async () => {
    const s = (stack = await startStack(temporal));
    await hire(s.slapd, 'reader1');
    await hire(s.slapd, 'reader2');
    const directoryBefore = await directorySnapshot(s.slapd);
    const workflowsBefore = await workflowCount(s);

    await plan(s);
    await plan(s, { json: true });

    expect(s.emulator.requestLog().length).toBeGreaterThan(0);
    expect(s.emulator.requestLog().filter((r) => r.method !== 'GET')).toEqual([]);
    expect(await workflowCount(s)).toBe(workflowsBefore);
    expect(await directorySnapshot(s.slapd)).toBe(directoryBefore);
    expect(s.account('reader1')).toBeUndefined();
  });

  test('exits 0 with nothing pending once a reconcile has run, and shows a leaver as a disable', async () => {
    const s = (stack = await startStack(temporal));
    await hire(s.slapd, 'stayer');
    await hire(s.slapd, 'leaver');
    await s.reconcile();

    const inStep = await plan(s);
    expect(inStep.code).toBe(exitCodes.ok);
    expect(inStep.text).toContain('the next reconcile would change nothing');

    await deletePerson(s.slapd, 'leaver');
    const afterLeaving = await plan(s, { all: true });
    expect(afterLeaving.code).toBe(exitCodes.changesPending);
    expect(afterLeaving.text).toMatch(
      /leaver\s*│\s*disable\s*│\s*no longer in scope\s*│\s*active: "true" -> "false"/,
    );
    expect(afterLeaving.text).toMatch(/stayer\s*│\s*none\s*│\s*in step/);
  });
});
