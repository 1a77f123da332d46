import { Faker, de, en, fr } from '@faker-js/faker';

/** One generated person, with what the LDIF says about them. */
export interface SamplePerson {
  uid: string;
  givenName: string;
  sn: string;
  cn: string;
  mail: string;
  title: string;
  departmentNumber: string;
  telephoneNumber: string;
  employeeNumber: string;
  /** Locked administratively (ppolicy `pwdAccountLockedTime: 000001010000Z`). */
  disabled: boolean;
  /** DNs of the groups that list this person directly. */
  groups: string[];
  dn: string;
}

/** A generated directory: its LDIF (for slapadd), its people and its groups. */
export interface SampleDirectory {
  ldif: string;
  people: SamplePerson[];
  groupDns: {
    /** `cn=servicenow-users`: the group that puts people in scope. */
    scope: string;
    /** Groups inside the scope group: `cn=contractors` in it, `cn=contractors-emea` in that. */
    nested: string[];
    /** Department groups that have nothing to do with the scope. */
    other: string[];
  };
}

export interface SampleDirectoryOptions {
  suffix: string;
  people: number;
  seed?: number;
  /** Share of people locked administratively; default 0.05. */
  disabledShare?: number;
}

const departments = [
  { number: '1100', name: 'Engineering' },
  { number: '1200', name: 'Sales' },
  { number: '1300', name: 'Marketing' },
  { number: '1400', name: 'Finance' },
  { number: '1500', name: 'People' },
  { number: '1600', name: 'Legal' },
  { number: '1700', name: 'Support' },
  { number: '1800', name: 'Operations' },
  { number: '1900', name: 'IT' },
];

/**
 * Generates a realistic directory, the same for the same seed: people with unique lower-case uids
 * (`jsmith`, `jsmith2`), some with accented names, a scope group with direct members and a
 * two-level chain of nested groups, department groups outside the scope, about a quarter of the
 * people in no scope group and `disabledShare` of them locked. 100,000 people take a few seconds.
 */
export function generateSampleDirectory(options: SampleDirectoryOptions): SampleDirectory {
  const { suffix } = options;
  const seed = options.seed ?? 1;
  // Mostly English names, with German and French ones so that non-ASCII names are common.
  const fakers = [
    new Faker({ locale: [en] }),
    new Faker({ locale: [de, en] }),
    new Faker({ locale: [fr, en] }),
  ];
  fakers.forEach((f, i) => f.seed(seed * 31 + i));
  const [main] = fakers as [Faker, Faker, Faker];

  const groupDn = (cn: string) => `cn=${cn},ou=groups,${suffix}`;
  const scope = groupDn('servicenow-users');
  const contractors = groupDn('contractors');
  const emea = groupDn('contractors-emea');
  const mailDomain = mailDomainOf(suffix);
  const uids = new UidAllocator();

  const people: SamplePerson[] = [];
  for (let i = 0; i < options.people; i++) {
    const f = fakers[main.number.int({ min: 0, max: 9 }) < 8 ? 0 : main.number.int({ min: 1, max: 2 })]!;
    const givenName = f.person.firstName();
    const sn = f.person.lastName();
    const uid = uids.next(givenName, sn);
    const department = main.helpers.arrayElement(departments);
    const draw = main.number.float();
    const scopeGroup = draw < 0.6 ? scope : draw < 0.7 ? contractors : draw < 0.75 ? emea : undefined;
    people.push({
      uid,
      givenName,
      sn,
      cn: `${givenName} ${sn}`,
      mail: `${uid}@${mailDomain}`,
      title: main.person.jobTitle(),
      departmentNumber: department.number,
      telephoneNumber: `+1 555 ${main.string.numeric(3)} ${main.string.numeric(4)}`,
      employeeNumber: String(100_000 + i),
      disabled: main.number.float() < (options.disabledShare ?? 0.05),
      groups: [...(scopeGroup ? [scopeGroup] : []), groupDn(department.name.toLowerCase())],
      dn: `uid=${uid},ou=people,${suffix}`,
    });
  }

  const listed = new Map<string, string[]>();
  for (const person of people) {
    for (const dn of person.groups) {
      const list = listed.get(dn) ?? [];
      list.push(person.dn);
      listed.set(dn, list);
    }
  }
  const members = (dn: string) => listed.get(dn) ?? [];
  const groups = [
    {
      dn: scope,
      members: [contractors, ...members(scope)],
      description: 'People who get a ServiceNow account',
    },
    { dn: contractors, members: [emea, ...members(contractors)], description: 'External staff' },
    { dn: emea, members: members(emea), description: 'External staff in Europe' },
    ...departments.map((d) => {
      const dn = groupDn(d.name.toLowerCase());
      return { dn, members: members(dn), description: `${d.name} department` };
    }),
  ];

  const ldif = [
    baseEntries(suffix),
    ...people.map(personEntry),
    ...groups.map((g) => groupEntry(g.dn, g.members, g.description)),
  ].join('\n\n');

  return {
    ldif: `${ldif}\n`,
    people,
    groupDns: {
      scope,
      nested: [contractors, emea],
      other: departments.map((d) => groupDn(d.name.toLowerCase())),
    },
  };
}

/** Hands out `jsmith`, then `jsmith2`, `jsmith3`: initial plus surname, ASCII letters only. */
class UidAllocator {
  readonly #taken = new Map<string, number>();

  next(givenName: string, sn: string): string {
    const base = asciiLetters(givenName).slice(0, 1) + asciiLetters(sn) || 'user';
    const count = (this.#taken.get(base) ?? 0) + 1;
    this.#taken.set(base, count);
    // Suffixed uids end in a digit and bases never do, so the two cannot collide.
    return count === 1 ? base : `${base}${count}`;
  }
}

function asciiLetters(name: string): string {
  return name
    .normalize('NFD')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

function mailDomainOf(suffix: string): string {
  const labels = suffix
    .split(',')
    .map((rdn) => rdn.trim().split('='))
    .filter(([attribute]) => attribute?.toLowerCase() === 'dc')
    .map(([, value]) => value ?? '');
  return labels.length > 0 ? labels.join('.') : 'example.com';
}

function baseEntries(suffix: string): string {
  const dc = suffix.split(',')[0]?.split('=')[1] ?? 'example';
  return [
    [`dn: ${suffix}`, 'objectClass: dcObject', 'objectClass: organization', `dc: ${dc}`, `o: ${dc}`],
    [`dn: ou=people,${suffix}`, 'objectClass: organizationalUnit', 'ou: people'],
    [`dn: ou=groups,${suffix}`, 'objectClass: organizationalUnit', 'ou: groups'],
  ]
    .map((lines) => lines.join('\n'))
    .join('\n\n');
}

function personEntry(p: SamplePerson): string {
  return [
    `dn: ${p.dn}`,
    'objectClass: inetOrgPerson',
    line('uid', p.uid),
    line('givenName', p.givenName),
    line('sn', p.sn),
    line('cn', p.cn),
    line('mail', p.mail),
    line('title', p.title),
    line('departmentNumber', p.departmentNumber),
    line('telephoneNumber', p.telephoneNumber),
    line('employeeNumber', p.employeeNumber),
    ...(p.disabled ? ['pwdAccountLockedTime: 000001010000Z'] : []),
  ].join('\n');
}

function groupEntry(dn: string, members: string[], description: string): string {
  const cn = dn.split(',')[0]?.split('=')[1] ?? '';
  // groupOfNames requires a member; the empty DN is the usual stand-in for "nobody".
  const memberLines = members.length > 0 ? members.map((m) => line('member', m)) : ['member:'];
  return [
    `dn: ${dn}`,
    'objectClass: groupOfNames',
    line('cn', cn),
    line('description', description),
    ...memberLines,
  ].join('\n');
}

/** One LDIF attribute line; values that are not a SAFE-STRING (RFC 2849) go base64. */
function line(attribute: string, value: string): string {
  return isSafeString(value)
    ? `${attribute}: ${value}`
    : `${attribute}:: ${Buffer.from(value, 'utf8').toString('base64')}`;
}

/** Printable ASCII not starting with space, colon or '<' and not ending in a space; anything else goes base64. */
function isSafeString(value: string): boolean {
  return /^(?:[!-9;=-~][ -~]*)?$/.test(value) && !value.endsWith(' ');
}
