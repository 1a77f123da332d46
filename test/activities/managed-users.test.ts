import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { readManagedUsers } from '../../src/activities/managed-users.js';
import { searchAttributes } from '../../src/workflows/definitions.js';
import { eventually } from '../helpers/eventually.js';
import { startTemporal } from '../helpers/temporal.js';

/**
 * The managed users as a reconcile reads them, on a real dev server. No worker runs here: each user
 * workflow is started with the search attributes a real one would have published, so the test
 * decides exactly what changed between two reads, and compares every re-read with a full read made
 * by a fresh client (which has no snapshot).
 */
let temporal: TestWorkflowEnvironment;
let queueNumber = 0;

beforeAll(async () => {
  temporal = await startTemporal();
});
afterAll(async () => {
  await temporal?.teardown();
});

/** A task queue of its own for each test: no worker polls it, so the workflows just stay running. */
const newQueue = () => `managed-users-${++queueNumber}`;

async function startUser(client: Client, taskQueue: string, id: string, sysId: string, state = 'active') {
  return client.workflow.start('userLifecycleWorkflow', {
    workflowId: `user-${id}`,
    taskQueue,
    args: [{ directoryId: id }],
    typedSearchAttributes: [
      { key: searchAttributes.state, value: state },
      { key: searchAttributes.sysId, value: sysId },
      { key: searchAttributes.userName, value: `name.${id}` },
      { key: searchAttributes.updatedAt, value: new Date() },
    ],
  });
}

/** The users a fresh client reads in full, once visibility shows `expected` of them. */
async function fullRead(taskQueue: string, expected: number) {
  return eventually(async () => {
    const read = await readManagedUsers(new Client({ connection: temporal.connection }), taskQueue);
    expect(read.kind).toBe('full');
    expect(read.users).toHaveLength(expected);
    return read.users;
  });
}

const byId = <T extends { directoryId: string }>(users: readonly T[]) =>
  [...users].sort((a, b) => a.directoryId.localeCompare(b.directoryId));

test('a second read lists only what started, changed or ended since the first, and gives what a full read gives', async () => {
  const client = new Client({ connection: temporal.connection });
  const queue = newQueue();
  // A lag allowance of a second, and users started more than a second before the first read.
  const read = () => readManagedUsers(client, queue, { lagAllowanceMs: 1000 });
  for (let i = 0; i < 30; i++) await startUser(client, queue, `u${i}`, `${i}`.padStart(32, 'a'));
  await fullRead(queue, 30);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const first = await read();
  expect(first).toMatchObject({ kind: 'full', listed: 30 });

  const unchanged = await read();
  expect(unchanged).toMatchObject({ kind: 'changes', listed: 0 });
  expect(byId(unchanged.users)).toEqual(byId(first.users));

  // One user ends, one is replaced by a new run with another account and state, two are new.
  await client.workflow.getHandle('user-u3').terminate('test: the workflow ends');
  await client.workflow.getHandle('user-u4').terminate('test: a new run follows');
  await startUser(client, queue, 'u4', 'b'.repeat(32), 'held');
  await startUser(client, queue, 'new1', 'c'.repeat(32));
  await startUser(client, queue, 'new2', 'd'.repeat(32));
  const expected = await fullRead(queue, 31);

  const changed = await read();
  expect(changed).toMatchObject({ kind: 'changes', listed: 5 });
  expect(byId(changed.users)).toEqual(byId(expected));
  expect(changed.users.find((u) => u.directoryId === 'u4')).toMatchObject({
    sysId: 'b'.repeat(32),
    state: 'held',
  });
  expect(changed.users.some((u) => u.directoryId === 'u3')).toBe(false);
});

test('a change that the re-read missed is caught by the count, and the read starts over in full', async () => {
  const client = new Client({ connection: temporal.connection });
  const queue = newQueue();
  for (let i = 0; i < 5; i++) await startUser(client, queue, `m${i}`, `${i}`.padStart(32, 'e'));
  await fullRead(queue, 5);
  // The first read claims to have begun an hour from now, so the next re-read looks only after that.
  const inAnHour = Date.now() + 3_600_000;
  await readManagedUsers(client, queue, { now: () => inAnHour });
  await startUser(client, queue, 'missed', 'f'.repeat(32));
  await fullRead(queue, 6);

  const read = await readManagedUsers(client, queue, { now: () => inAnHour + 1000 });
  expect(read.kind).toBe('full');
  expect(read.fullReadReason).toBe('6 user workflows run, the snapshot had 5');
  expect(read.users.map((u) => u.directoryId)).toContain('missed');
});

test('a snapshot older than an hour is read again in full', async () => {
  const client = new Client({ connection: temporal.connection });
  const queue = newQueue();
  await startUser(client, queue, 'h1', 'a'.repeat(32));
  await fullRead(queue, 1);
  await readManagedUsers(client, queue);

  const read = await readManagedUsers(client, queue, { now: () => Date.now() + 61 * 60_000 });
  expect(read).toMatchObject({ kind: 'full', fullReadReason: 'the snapshot is an hour old' });
  expect(read.users).toHaveLength(1);
});
