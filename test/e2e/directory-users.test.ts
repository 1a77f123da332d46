import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  addOrganizationalUnit,
  addPerson,
  addToGroup,
  asAdmin,
  createGroup,
  entryUuidOf,
  lockPerson,
  modifyPerson,
  movePerson,
  removeFromGroup,
  renamePerson,
} from '../helpers/directory.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { startTemporal } from '../helpers/temporal.js';
import { userStateQuery, userWorkflowId } from '../../src/workflows/definitions.js';

/**
 * What the directory can do to a person besides hiring and leaving, end to end on a real slapd:
 * renames and moves keep the one account, names that need escaping or are not ASCII go through
 * every step, and scope groups count members however they are nested or spelt.
 */
let temporal: TestWorkflowEnvironment;
let stack: Stack | undefined;

beforeAll(async () => {
  temporal = await startTemporal();
});
afterAll(async () => {
  await temporal?.teardown();
});
afterEach(async () => {
  const writes = stack?.writes() ?? [];
  await stack?.stop();
  stack = undefined;
  expect(writes.filter((w) => w.method === 'DELETE')).toEqual([]);
});

// Renames and moves change the member values of the scope group as AD and 389 do on their own.
async function given(config: Record<string, unknown> = {}): Promise<Stack> {
  stack = await startStack(temporal, { slapd: { referentialIntegrity: true }, config });
  return stack;
}

async function hire(s: Stack, uid: string, extra: Record<string, string> = {}): Promise<string> {
  const dn = await addPerson(s.slapd, {
    uid,
    givenName: 'Pat',
    sn: `Person-${uid}`,
    title: 'Engineer',
    ...extra,
  });
  await addToGroup(s.slapd, 'servicenow-users', dn);
  return dn;
}

/** Writes since `count` that create an account or set one inactive. */
const createsAndDisables = (s: Stack, count: number) =>
  s
    .writes()
    .slice(count)
    .filter((w) => w.method === 'POST' || String(w.body?.active) === 'false');

describe('a person renamed or moved in the directory', () => {
  test('keeps the same account when the uid changes, with user_name and fields updated in place', async () => {
    const s = await given();
    const dn = await hire(s, 'jdoe', { sn: 'Doe' });
    await hire(s, 'bystander');
    await s.reconcile();
    const before = s.account('jdoe')!;
    const accounts = s.emulator.records('sys_user').length;
    const writes = s.writes().length;

    await renamePerson(s.slapd, 'jdoe', 'jsmith');
    await modifyPerson(s.slapd, 'jsmith', { sn: 'Smith' });
    const summary = await s.reconcile();

    expect(summary.planned).toMatchObject({ create: 0, disable: 0, update: 1 });
    expect(s.account('jdoe')).toBeUndefined();
    expect(s.account('jsmith')).toMatchObject({ sys_id: before.sys_id, last_name: 'Smith', active: 'true' });
    expect(s.emulator.records('sys_user')).toHaveLength(accounts);
    expect(createsAndDisables(s, writes)).toEqual([]);
    const state = await temporal.client.workflow
      .getHandle(userWorkflowId(await entryUuidOf(s.slapd, dn.replace('jdoe', 'jsmith'))))
      .query(userStateQuery);
    expect(state).toMatchObject({ sysId: before.sys_id, state: 'active' });
  });

  test('keeps the same account when moved to another OU under the base DN, with fields updated in place', async () => {
    const s = await given();
    await hire(s, 'nomad', { title: 'Engineer' });
    await s.reconcile();
    const before = s.account('nomad')!;
    const accounts = s.emulator.records('sys_user').length;
    const writes = s.writes().length;

    const contractors = await addOrganizationalUnit(s.slapd, 'contractors', s.slapd.peopleDn);
    await movePerson(s.slapd, 'nomad', contractors);
    await modifyPerson(s.slapd, 'nomad', { title: 'Contractor' });
    const summary = await s.reconcile();

    expect(summary.planned).toMatchObject({ create: 0, disable: 0, update: 1 });
    expect(s.account('nomad')).toMatchObject({ sys_id: before.sys_id, title: 'Contractor', active: 'true' });
    expect(s.emulator.records('sys_user')).toHaveLength(accounts);
    expect(createsAndDisables(s, writes)).toEqual([]);
  });
});

describe('names that are not plain ASCII', () => {
  const special = 'o,brien+x*(y)\\z';

  test('a person with * ( \\ , + in the DN and one with non-ASCII letters are provisioned, updated and disabled', async () => {
    // Both of the two managed users are disabled at the end: no guard should hold that here.
    const s = await given({ reconcile: { guard: { maxDisableShare: 1 } } });
    await asAdmin(s.slapd, (c) =>
      c.add(`uid=o\\,brien\\+x*(y)\\\\z,${s.slapd.peopleDn}`, {
        objectClass: 'inetOrgPerson',
        uid: special,
        cn: 'Orla Brien',
        givenName: 'Orla',
        sn: "O'Brien",
        title: 'Engineer',
      }),
    );
    // The group lists the first by hex escapes, as other tools write it.
    await addToGroup(s.slapd, 'servicenow-users', `uid=o\\2Cbrien\\2Bx*(y)\\5Cz,${s.slapd.peopleDn}`);
    await hire(s, 'zoë.ångström', { givenName: 'Zoë', sn: 'Ångström-Øster', mail: 'zoe@example.com' });

    await s.reconcile();
    const orla = s.account(special)!;
    const zoe = s.account('zoë.ångström')!;
    expect(orla).toMatchObject({ first_name: 'Orla', last_name: "O'Brien", active: 'true' });
    expect(zoe).toMatchObject({ first_name: 'Zoë', last_name: 'Ångström-Øster', active: 'true' });

    const quiet = s.writes().length;
    await s.reconcile();
    expect(s.writes().slice(quiet)).toEqual([]);

    await modifyPerson(s.slapd, special, { title: 'Señor Engineer' });
    await modifyPerson(s.slapd, 'zoë.ångström', { sn: 'Ångström-Öberg' });
    await s.reconcile();
    expect(s.account(special)).toMatchObject({ sys_id: orla.sys_id, title: 'Señor Engineer' });
    expect(s.account('zoë.ångström')).toMatchObject({ sys_id: zoe.sys_id, last_name: 'Ångström-Öberg' });

    await lockPerson(s.slapd, special);
    await lockPerson(s.slapd, 'zoë.ångström');
    const summary = await s.reconcile();
    expect(summary.planned.disable).toBe(2);
    expect(s.account(special)).toMatchObject({ sys_id: orla.sys_id, active: 'false' });
    expect(s.account('zoë.ångström')).toMatchObject({ sys_id: zoe.sys_id, active: 'false' });
    const created = s.emulator.records('sys_user').filter((r) => r.sys_created_by === 'svc.provisioning');
    expect(created.map((r) => r.sys_id).sort()).toEqual([orla.sys_id, zoe.sys_id].sort());
  });
});

describe('scope groups', () => {
  test('take in members of nested groups and of a cycle, and let a member leave through the inner group', async () => {
    const s = await given();
    const ann = await addPerson(s.slapd, { uid: 'ann', givenName: 'Ann', sn: 'Inner' });
    const bob = await addPerson(s.slapd, { uid: 'bob', givenName: 'Bob', sn: 'Outer' });
    await addPerson(s.slapd, { uid: 'out', givenName: 'Out', sn: 'Side' });
    const inner = await createGroup(s.slapd, 'team-inner', [ann]);
    const outer = await createGroup(s.slapd, 'team-outer', [bob, inner]);
    await addToGroup(s.slapd, 'team-inner', outer); // inner and outer now hold each other
    await addToGroup(s.slapd, 'servicenow-users', outer);

    await s.reconcile();
    expect(s.account('ann')).toMatchObject({ active: 'true' });
    expect(s.account('bob')).toMatchObject({ active: 'true' });
    expect(s.account('out')).toBeUndefined();

    await removeFromGroup(s.slapd, 'team-inner', ann);
    const summary = await s.reconcile();
    expect(summary.planned.disable).toBe(1);
    expect(s.account('ann')).toMatchObject({ active: 'false' });
    expect(s.account('bob')).toMatchObject({ active: 'true' });
  });

  test('count members whose DNs the groups spell differently from the entries', async () => {
    const s = await given();
    await addPerson(s.slapd, { uid: 'plain', givenName: 'P', sn: 'Lain' });
    await addPerson(s.slapd, { uid: 'Upper', givenName: 'U', sn: 'Pper' });
    await asAdmin(s.slapd, (c) =>
      c.add(`uid=lee\\,ann,${s.slapd.peopleDn}`, {
        objectClass: 'inetOrgPerson',
        uid: 'lee,ann',
        cn: 'L',
        sn: 'A',
      }),
    );
    await addPerson(s.slapd, { uid: 'unique', givenName: 'U', sn: 'Nique' });
    // slapd keeps the case of values and hex escapes in member values (it drops spaces and
    // normalises attribute types); uniqueMember may carry a uid suffix.
    const spellings = await createGroup(s.slapd, 'spellings', [
      `uid=plain,${s.slapd.peopleDn}`,
      'uid=UPPER,ou=PEOPLE,dc=EXAMPLE,dc=COM',
      `uid=lee\\2Cann,${s.slapd.peopleDn}`,
    ]);
    const unique = await createGroup(
      s.slapd,
      'unique-spelling',
      [`UID=Unique, OU=People, DC=Example, DC=Com#'0101'B`],
      'groupOfUniqueNames',
    );
    await addToGroup(s.slapd, 'servicenow-users', spellings);
    await addToGroup(s.slapd, 'servicenow-users', unique);

    const summary = await s.reconcile();

    expect(summary.planned.create).toBe(4);
    for (const name of ['plain', 'Upper', 'lee,ann', 'unique']) {
      expect(s.account(name)).toMatchObject({ active: 'true' });
    }
  });
});
