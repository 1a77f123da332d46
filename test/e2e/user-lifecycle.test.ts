import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { stringify } from 'yaml';
import { parseConfig } from '../../src/config/load.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { createLogger } from '../../src/log.js';
import type { DesiredUser } from '../../src/reconcile/desired-user.js';
import { createProvisioningWorker, type ProvisioningWorker } from '../../src/workers/worker.js';
import {
  desiredStateSignal,
  manualDisableSignal,
  userStateQuery,
  userWorkflowId,
  type DesiredStateSignal,
} from '../../src/workflows/definitions.js';
import type { userLifecycleWorkflow } from '../../src/workflows/user-lifecycle.js';
import { eventually } from '../helpers/eventually.js';
import { desiredUser } from '../helpers/factories.js';
import { integrationAccount } from '../helpers/accounts.js';
import { startTemporal, workflowBundle } from '../helpers/temporal.js';

let temporal: TestWorkflowEnvironment;
let emulator: RunningEmulator;
let worker: ProvisioningWorker;
let running: Promise<void>;
let taskQueue: string;

beforeAll(async () => {
  temporal = await startTemporal();
});

afterAll(async () => {
  await temporal?.teardown();
});

async function startWorker(password = integrationAccount.password): Promise<void> {
  emulator = await startEmulator({ accounts: [integrationAccount] });
  taskQueue = `test-${randomUUID()}`;
  const text = stringify({
    directory: {
      type: 'openldap',
      url: 'ldap://127.0.0.1:1',
      bindDn: 'cn=unused',
      bindPassword: { env: 'P' },
      baseDn: 'dc=unused',
    },
    servicenow: {
      instanceUrl: emulator.url,
      auth: { type: 'basic', username: integrationAccount.userName, password: { env: 'P' } },
    },
    temporal: { address: temporal.address, taskQueue },
  });
  const config = parseConfig(text, 'test', { P: password });
  worker = await createProvisioningWorker(config, {
    log: createLogger({ level: 'warn' }),
    workflowBundle: workflowBundle(),
  });
  running = worker.run();
}

afterEach(async () => {
  worker.shutdown();
  await running;
  await emulator.close();
});

function signal(desired: DesiredUser, reconcileId = randomUUID()) {
  return temporal.client.workflow.signalWithStart<typeof userLifecycleWorkflow, [DesiredStateSignal]>(
    'userLifecycleWorkflow',
    {
      workflowId: userWorkflowId(desired.directoryId),
      taskQueue,
      args: [{ directoryId: desired.directoryId }],
      signal: desiredStateSignal,
      signalArgs: [{ reconcileId, desired }],
    },
  );
}

const stateOf = (desired: DesiredUser) =>
  temporal.client.workflow.getHandle(userWorkflowId(desired.directoryId)).query(userStateQuery);

describe('a user lifecycle workflow', () => {
  test('creates the account once however often the same desired state arrives', async () => {
    await startWorker();
    const desired = desiredUser({ userName: 'twice' });

    await signal(desired);
    await signal(desired);
    await signal(desired);

    await eventually(async () =>
      expect(await stateOf(desired)).toMatchObject({ state: 'active', lastAction: 'none' }),
    );
    const accounts = emulator.records('sys_user').filter((r) => r.user_name === 'twice');
    expect(accounts).toHaveLength(1);
    expect((await stateOf(desired)).sysId).toBe(accounts[0]!.sys_id);
  });

  test('shows a permanent ServiceNow failure in its state and search attributes', async () => {
    await startWorker('wrong-password');
    const desired = desiredUser();

    await signal(desired);

    await eventually(async () =>
      expect(await stateOf(desired)).toMatchObject({
        state: 'failed',
        lastError: { type: 'ServiceNowUnauthorized' },
      }),
    );
    const description = await temporal.client.workflow
      .getHandle(userWorkflowId(desired.directoryId))
      .describe();
    expect(description.typedSearchAttributes.get({ name: 'ProvisioningLastError', type: 'KEYWORD' })).toBe(
      'ServiceNowUnauthorized',
    );
  });

  test('continues as new before its history grows large, keeping its link and its hold', async () => {
    await startWorker();
    const desired = desiredUser();
    await signal(desired);
    const handle = temporal.client.workflow.getHandle(userWorkflowId(desired.directoryId));
    const first = await eventually(async () => {
      const state = await stateOf(desired);
      expect(state.sysId).toBeDefined();
      return state;
    });
    const firstRun = (await handle.describe()).runId;

    await handle.signal(manualDisableSignal, { reason: 'audit' });
    for (let i = 0; i < 60; i += 1) {
      await signal({ ...desired, fields: { ...desired.fields, title: `Title ${i}` } });
      await eventually(async () => expect((await stateOf(desired)).updatedAt).toBeDefined());
    }

    await eventually(async () => {
      expect((await handle.describe()).runId).not.toBe(firstRun);
      expect(await stateOf(desired)).toMatchObject({
        sysId: first.sysId,
        state: 'held',
        hold: { reason: 'audit' },
      });
    });
  });
});
