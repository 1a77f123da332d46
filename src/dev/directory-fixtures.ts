/**
 * Changes to a throwaway slapd as its rootdn: add, change, lock, rename and delete people and
 * groups. Used by the tests, the demo and the benchmarks; never by the product itself.
 */
import { Attribute, Change, Client, EqualityFilter } from 'ldapts';
import type { RunningSlapd } from './slapd.js';

/** Attribute values for fixtures: one value or several. */
export type Values = string | readonly string[];

export interface NewPerson {
  uid: string;
  givenName: string;
  sn: string;
  /** Defaults to `<uid>@example.com`. */
  mail?: string;
  title?: string;
  /** Any other inetOrgPerson attribute (departmentNumber, employeeNumber, pwdAccountLockedTime…). */
  [attribute: string]: Values | undefined;
}

/** Group object classes and the attribute each lists its members in. */
export type GroupType = 'groupOfNames' | 'groupOfUniqueNames' | 'posixGroup';
const memberAttribute: Record<GroupType, string> = {
  groupOfNames: 'member',
  groupOfUniqueNames: 'uniqueMember',
  posixGroup: 'memberUid',
};

/** Runs `fn` with a client bound as the rootdn, then unbinds. */
export async function asAdmin<T>(slapd: RunningSlapd, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ url: slapd.url, timeout: 10_000 });
  try {
    await client.bind(slapd.adminDn, slapd.adminPassword);
    return await fn(client);
  } finally {
    await client.unbind();
  }
}

/** Adds an inetOrgPerson (cn is "givenName sn") under ou=people or `parentDn`; returns its DN. */
export async function addPerson(
  slapd: RunningSlapd,
  person: NewPerson,
  parentDn: string = slapd.peopleDn,
): Promise<string> {
  const dn = `uid=${person.uid},${parentDn}`;
  const attributes: Record<string, string | string[]> = {
    objectClass: 'inetOrgPerson',
    cn: `${person.givenName} ${person.sn}`,
    mail: `${person.uid}@example.com`,
  };
  for (const [name, value] of Object.entries(person)) {
    if (value !== undefined) attributes[name] = typeof value === 'string' ? value : [...value];
  }
  await asAdmin(slapd, (client) => client.add(dn, attributes));
  return dn;
}

/** Replaces attributes of the person with this uid, wherever it is; null removes an attribute. */
export async function modifyPerson(
  slapd: RunningSlapd,
  uid: string,
  changes: Record<string, Values | null>,
): Promise<void> {
  await asAdmin(slapd, async (client) => {
    const dn = await personDn(client, slapd, uid);
    const modifications = Object.entries(changes).map(
      ([type, value]) =>
        new Change({
          operation: 'replace',
          modification: new Attribute({ type, values: list(value ?? undefined) }),
        }),
    );
    await client.modify(dn, modifications);
  });
}

export async function deletePerson(slapd: RunningSlapd, uid: string): Promise<void> {
  await asAdmin(slapd, async (client) => client.del(await personDn(client, slapd, uid)));
}

/** Locks the account the way an administrator does (ppolicy); `at` gives a failed-password lockout instead. */
export async function lockPerson(slapd: RunningSlapd, uid: string, at = '000001010000Z'): Promise<void> {
  await modifyPerson(slapd, uid, { pwdAccountLockedTime: at });
}

export async function unlockPerson(slapd: RunningSlapd, uid: string): Promise<void> {
  await modifyPerson(slapd, uid, { pwdAccountLockedTime: null });
}

/** Changes the uid in place (modrdn, old RDN value removed); returns the new DN. */
export async function renamePerson(slapd: RunningSlapd, uid: string, newUid: string): Promise<string> {
  return asAdmin(slapd, async (client) => {
    const dn = await personDn(client, slapd, uid);
    const newDn = `uid=${newUid},${dn.slice(dn.indexOf(',') + 1)}`;
    await client.modifyDN(dn, newDn);
    return newDn;
  });
}

/** Moves the person under another parent, which must exist (see addOrganizationalUnit); returns the new DN. */
export async function movePerson(slapd: RunningSlapd, uid: string, parentDn: string): Promise<string> {
  return asAdmin(slapd, async (client) => {
    const dn = await personDn(client, slapd, uid);
    const newDn = `${dn.slice(0, dn.indexOf(','))},${parentDn}`;
    await client.modifyDN(dn, newDn);
    return newDn;
  });
}

/** Adds `ou=<ou>` under `parentDn` (the suffix by default); returns its DN. */
export async function addOrganizationalUnit(
  slapd: RunningSlapd,
  ou: string,
  parentDn = slapd.suffix,
): Promise<string> {
  const dn = `ou=${ou},${parentDn}`;
  await asAdmin(slapd, (client) => client.add(dn, { objectClass: 'organizationalUnit', ou }));
  return dn;
}

/**
 * Creates a group under ou=groups; returns its DN. Members are DNs, except for a posixGroup, whose
 * members are uids. An empty groupOfNames or groupOfUniqueNames gets the empty DN, which stands
 * for nobody, because those classes require a member.
 */
export async function createGroup(
  slapd: RunningSlapd,
  cn: string,
  members: readonly string[],
  type: GroupType = 'groupOfNames',
): Promise<string> {
  const dn = `cn=${cn},${slapd.groupsDn}`;
  const attributes: Record<string, string | string[]> = { objectClass: type, cn };
  if (type === 'posixGroup') {
    attributes.gidNumber = String(10_000 + Math.floor(Math.random() * 50_000));
    if (members.length > 0) attributes.memberUid = [...members];
  } else {
    attributes[memberAttribute[type]] = members.length > 0 ? [...members] : [''];
  }
  await asAdmin(slapd, (client) => client.add(dn, attributes));
  return dn;
}

/** Adds a member (a DN, or a uid for a posixGroup) to the group `cn=<groupCn>` under ou=groups. */
export async function addToGroup(slapd: RunningSlapd, groupCn: string, member: string): Promise<void> {
  await changeMembers(slapd, groupCn, member, 'add');
}

export async function removeFromGroup(slapd: RunningSlapd, groupCn: string, member: string): Promise<void> {
  await changeMembers(slapd, groupCn, member, 'delete');
}

/** The entry's entryUUID, lower case, as the product reads it. */
export async function entryUuidOf(slapd: RunningSlapd, dn: string): Promise<string> {
  return asAdmin(slapd, async (client) => {
    const { searchEntries } = await client.search(dn, { scope: 'base', attributes: ['entryUUID'] });
    const uuid = searchEntries[0]?.entryUUID;
    if (typeof uuid !== 'string') throw new Error(`${dn} has no entryUUID`);
    return uuid.toLowerCase();
  });
}

/**
 * groupOfNames and groupOfUniqueNames require a member: the empty DN stands in for nobody, so the
 * last member is replaced by it, and it is replaced by the first real member.
 */
async function changeMembers(
  slapd: RunningSlapd,
  groupCn: string,
  member: string,
  operation: 'add' | 'delete',
): Promise<void> {
  const dn = `cn=${groupCn},${slapd.groupsDn}`;
  await asAdmin(slapd, async (client) => {
    const attributes = ['objectClass', ...Object.values(memberAttribute)];
    const { searchEntries } = await client.search(dn, { scope: 'base', attributes });
    const group = searchEntries[0];
    if (group === undefined) throw new Error(`${dn} does not exist`);
    const classes = list(group.objectClass as Values | undefined).map((c) => c.toLowerCase());
    const type = (Object.keys(memberAttribute) as GroupType[]).find((t) => classes.includes(t.toLowerCase()));
    if (type === undefined) throw new Error(`${dn} is not a group`);

    const current = list(group[memberAttribute[type]] as Values | undefined);
    const value = type === 'posixGroup' ? uidOf(member) : member;
    const nobody = type !== 'posixGroup' && current.length === 1;
    const change =
      nobody && operation === 'delete' && current[0] === value
        ? { operation: 'replace' as const, values: [''] }
        : nobody && operation === 'add' && current[0] === ''
          ? { operation: 'replace' as const, values: [value] }
          : { operation, values: [value] };
    const modification = new Attribute({ type: memberAttribute[type], values: change.values });
    await client.modify(dn, new Change({ operation: change.operation, modification }));
  });
}

async function personDn(client: Client, slapd: RunningSlapd, uid: string): Promise<string> {
  const filter = new EqualityFilter({ attribute: 'uid', value: uid });
  const { searchEntries } = await client.search(slapd.suffix, { filter, attributes: ['1.1'] });
  if (searchEntries.length !== 1)
    throw new Error(`expected one person with uid ${uid}, found ${searchEntries.length}`);
  return searchEntries[0]!.dn;
}

/** A posixGroup lists uids: accept a person's DN too and take the uid from its RDN. */
function uidOf(member: string): string {
  const match = /^uid=([^,]+),/i.exec(member);
  return match ? match[1]! : member;
}

function list(value: Values | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}
