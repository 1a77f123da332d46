import { msToTs } from '@temporalio/common/lib/time.js';
import { randomUUID } from 'node:crypto';
import { stringify } from 'yaml';
import { runSetupTemporalCommand } from '../../src/cli/setup-temporal-command.js';
import { exitCodes } from '../../src/cli/exit-codes.js';
import { parseConfig } from '../../src/config/load.js';
import { allSearchAttributes } from '../../src/workflows/definitions.js';
import { eventually } from '../helpers/eventually.js';
import { startTemporal, type TemporalForTests } from '../helpers/temporal.js';
import { captureOutput } from './helpers.js';

/**
 * `provisioner setup-temporal` on a namespace that has none of the product's search attributes, as
 * a Temporal server other than the dev server the product starts would be.
 */
let temporal: TemporalForTests;

beforeAll(async () => {
  temporal = await startTemporal();
});
afterAll(async () => {
  await temporal?.teardown();
});

/** A configuration whose Temporal section names `namespace`; nothing else is connected to. */
function configFor(namespace: string) {
  const text = stringify({
    directory: {
      type: 'openldap',
      url: 'ldap://127.0.0.1:1',
      bindDn: 'cn=reader,dc=example,dc=com',
      bindPassword: { env: 'UNUSED_PASSWORD' },
      baseDn: 'ou=people,dc=example,dc=com',
    },
    servicenow: {
      instanceUrl: 'http://127.0.0.1:1',
      auth: { type: 'basic', username: 'svc', password: { env: 'UNUSED_PASSWORD' } },
    },
    temporal: { address: temporal.address, namespace, taskQueue: 'setup-test' },
  });
  return parseConfig(text, 'test configuration', { UNUSED_PASSWORD: 'unused' });
}

async function registeredNames(namespace: string): Promise<string[]> {
  const { customAttributes } = await temporal.connection.operatorService.listSearchAttributes({ namespace });
  return Object.keys(customAttributes ?? {});
}

test('registers every search attribute on a bare namespace, then says they are there when run again', async () => {
  const namespace = `bare-${randomUUID()}`;
  await temporal.connection.workflowService.registerNamespace({
    namespace,
    workflowExecutionRetentionPeriod: msToTs('1 day'),
  });
  const names = allSearchAttributes.map((key) => key.name);
  await eventually(async () => expect(await registeredNames(namespace)).toEqual([]), 30_000);

  const first = captureOutput();
  expect(await runSetupTemporalCommand(configFor(namespace), first)).toBe(exitCodes.ok);
  expect(first.text()).toBe(`namespace ${namespace}: registered ${names.join(', ')}\n`);
  expect((await registeredNames(namespace)).sort()).toEqual([...names].sort());

  const again = captureOutput();
  expect(await runSetupTemporalCommand(configFor(namespace), again)).toBe(exitCodes.ok);
  expect(again.text()).toContain(`namespace ${namespace}: every search attribute is registered`);
}, 120_000);
