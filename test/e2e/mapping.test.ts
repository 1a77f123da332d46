import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { addPerson, addToGroup, modifyPerson } from '../helpers/directory.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { startTemporal } from '../helpers/temporal.js';

/** The mapping options, end to end: from slapd entries to the fields the emulator holds. */
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

async function withMapping(mapping: Record<string, unknown>): Promise<Stack> {
  stack = await startStack(temporal, { config: { mapping } });
  return stack;
}

async function hire(s: Stack, uid: string, extra: Record<string, string | string[]>): Promise<void> {
  const dn = await addPerson(s.slapd, { uid, givenName: 'Kim', sn: 'Lee', ...extra });
  await addToGroup(s.slapd, 'servicenow-users', dn);
}

describe('the mapping, end to end', () => {
  test('writes a multi-valued attribute as its first value, or all values joined, as each field says', async () => {
    const s = await withMapping({
      fields: {
        first_name: 'givenName',
        last_name: 'sn',
        title: 'title',
        department: { attribute: 'departmentNumber', multiValue: 'join', separator: ' / ' },
      },
    });
    await hire(s, 'multi', { title: ['Lead', 'Engineer'], departmentNumber: ['R&D', 'Platform'] });

    await s.reconcile();

    expect(s.account('multi')).toMatchObject({ title: 'Lead', department: 'R&D / Platform' });
  });

  test('empties the field of an attribute removed in the directory, by default', async () => {
    const s = await withMapping({ fields: { first_name: 'givenName', last_name: 'sn', title: 'title' } });
    await hire(s, 'dropper', { title: 'Engineer' });
    await s.reconcile();
    expect(s.account('dropper')).toMatchObject({ title: 'Engineer' });

    await modifyPerson(s.slapd, 'dropper', { title: null });
    await s.reconcile();

    expect(s.account('dropper')).toMatchObject({ title: '', first_name: 'Kim' });
  });

  test('keeps the field of an attribute removed in the directory, and writes nothing, when told to', async () => {
    const s = await withMapping({
      fields: { first_name: 'givenName', last_name: 'sn', title: 'title' },
      clearRemovedAttributes: false,
    });
    await hire(s, 'keeper', { title: 'Engineer' });
    await s.reconcile();
    expect(s.account('keeper')).toMatchObject({ title: 'Engineer' });
    const writes = s.writes().length;

    await modifyPerson(s.slapd, 'keeper', { title: null });
    await s.reconcile();

    expect(s.account('keeper')).toMatchObject({ title: 'Engineer' });
    expect(s.writes().slice(writes)).toEqual([]);
  });

  test('fills constants, templates of several attributes and letter case, and follows their attributes', async () => {
    const s = await withMapping({
      fields: {
        first_name: 'givenName',
        last_name: { attribute: 'sn', case: 'upper' },
        email: { attribute: 'mail', case: 'lower' },
        title: { template: '{title} ({departmentNumber})' },
        source: { constant: 'ldap:corp' },
      },
    });
    await hire(s, 'shaped', {
      sn: 'Müller',
      mail: 'Kim.Muller@Example.COM',
      title: 'Analyst',
      departmentNumber: 'D7',
    });

    await s.reconcile();
    expect(s.account('shaped')).toMatchObject({
      last_name: 'MÜLLER',
      email: 'kim.muller@example.com',
      title: 'Analyst (D7)',
      source: 'ldap:corp',
    });

    await modifyPerson(s.slapd, 'shaped', { departmentNumber: 'D9' });
    await s.reconcile();
    expect(s.account('shaped')).toMatchObject({ title: 'Analyst (D9)', source: 'ldap:corp' });
  });
});
