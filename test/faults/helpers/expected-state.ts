import type { SampleDirectory } from '../../../src/dev/sample-directory.js';

/** The mapping every fault case configures: ServiceNow field to directory attribute. */
export const mappedFields = {
  first_name: 'givenName',
  last_name: 'sn',
  email: 'mail',
  title: 'title',
} as const;

type MappedField = keyof typeof mappedFields;

/** One person as the directory holds them now, with what decides their account. */
export interface DirectoryPerson {
  readonly uid: string;
  readonly givenName: string;
  readonly sn: string;
  readonly mail: string;
  readonly title: string;
  readonly inScope: boolean;
  readonly disabled: boolean;
}

/** What one account must look like. */
export interface ExpectedAccount {
  readonly active: boolean;
  readonly fields: Readonly<Record<MappedField, string>>;
}

/**
 * What ServiceNow must hold after a reconcile: the accounts the product manages (by user_name in
 * lower case) and the records it must never have touched, exactly as they were before it ran.
 */
export interface ExpectedState {
  readonly managed: ReadonlyMap<string, ExpectedAccount>;
  readonly untouched: readonly Record<string, string>[];
}

/** The people of a generated directory, in scope when they are in the scope group or a nested one. */
export function samplePeople(sample: SampleDirectory): DirectoryPerson[] {
  const scopeGroups = new Set([sample.groupDns.scope, ...sample.groupDns.nested]);
  return sample.people.map((p) => ({
    uid: p.uid,
    givenName: p.givenName,
    sn: p.sn,
    mail: p.mail,
    title: p.title,
    inScope: p.groups.some((g) => scopeGroups.has(g)),
    disabled: p.disabled,
  }));
}

/**
 * The state a reconcile of `people` must reach from `before`, by the product's decision table:
 * in scope and enabled means an active account with the directory's values; disabled in the
 * directory means an inactive one (a matched account that is already inactive is left alone);
 * out of scope or deleted means a managed account is disabled and an unmanaged one left alone.
 * `preexisting` are the sys_user records as they were before the product first ran.
 */
export function expectedAfterReconcile(
  people: readonly DirectoryPerson[],
  preexisting: readonly Record<string, string>[],
  before?: ExpectedState,
): ExpectedState {
  const previous = before?.managed ?? new Map<string, ExpectedAccount>();
  const found = new Map(preexisting.map((r) => [key(r.user_name ?? ''), r]));
  const managed = new Map<string, ExpectedAccount>(
    [...previous].map(([name, account]) => [name, { ...account, active: false }]),
  );

  for (const person of people) {
    const name = key(person.uid);
    const account = found.get(name);
    if (!person.inScope) continue;
    // A matched account that is already inactive is not linked for a disabled person; no account, no create.
    const wanted = previous.has(name) || !person.disabled || account?.active === 'true';
    if (wanted) managed.set(name, { active: !person.disabled, fields: fieldsOf(person) });
  }
  const untouched = preexisting.filter((r) => !managed.has(key(r.user_name ?? '')));
  return { managed, untouched };
}

/** What was found in ServiceNow that should not be there: every count must be zero. */
export interface Differences {
  /** Extra accounts for one user_name (compared without case). */
  readonly duplicates: number;
  readonly missing: number;
  /** Managed accounts whose `active` is wrong: a wrong disable or a missed one. */
  readonly wrongActive: number;
  /** Managed accounts with a mapped field that differs from the directory. */
  readonly wrongFields: number;
  /** Accounts nobody should have created, or records the product must not touch that changed. */
  readonly unexpected: number;
  /** A few of the differences, for the failure message. */
  readonly examples: readonly string[];
}

/** Compares every sys_user record with the expected state. */
export function compareWithExpected(
  records: readonly Record<string, string>[],
  expected: ExpectedState,
): Differences {
  const examples: string[] = [];
  const note = (text: string) => void (examples.length < 10 && examples.push(text));
  const byName = new Map<string, Record<string, string>[]>();
  for (const record of records) {
    const name = key(record.user_name ?? '');
    byName.set(name, [...(byName.get(name) ?? []), record]);
  }

  let duplicates = 0;
  for (const [name, found] of byName) {
    if (found.length < 2) continue;
    duplicates += found.length - 1;
    note(`${found.length} accounts named ${name}`);
  }

  let missing = 0;
  let wrongActive = 0;
  let wrongFields = 0;
  for (const [name, account] of expected.managed) {
    const [record] = byName.get(name) ?? [];
    if (!record) {
      missing += 1;
      note(`no account for ${name}`);
      continue;
    }
    if (record.active !== String(account.active)) {
      wrongActive += 1;
      note(`${name} has active=${record.active}, expected ${account.active}`);
    }
    const wrong = Object.entries(account.fields).filter(([field, value]) => record[field] !== value);
    if (wrong.length > 0) {
      wrongFields += 1;
      note(
        `${name}: ${wrong.map(([f, v]) => `${f}=${JSON.stringify(record[f])} expected ${JSON.stringify(v)}`).join(', ')}`,
      );
    }
  }

  let unexpected = 0;
  const untouched = new Map(expected.untouched.map((r) => [key(r.user_name ?? ''), r]));
  for (const [name, found] of byName) {
    if (expected.managed.has(name)) continue;
    const original = untouched.get(name);
    const [record] = found;
    if (!original || !record || JSON.stringify(sorted(record)) !== JSON.stringify(sorted(original))) {
      unexpected += 1;
      note(original ? `unmanaged ${name} was changed` : `unexpected account ${name}`);
    }
  }
  for (const name of untouched.keys()) {
    if (!byName.has(name)) {
      missing += 1;
      note(`unmanaged ${name} is gone`);
    }
  }
  return { duplicates, missing, wrongActive, wrongFields, unexpected, examples };
}

/** The sum of the counts: zero when ServiceNow is exactly as expected. */
export function differenceCount(d: Differences): number {
  return d.duplicates + d.missing + d.wrongActive + d.wrongFields + d.unexpected;
}

function fieldsOf(person: DirectoryPerson): Record<MappedField, string> {
  return { first_name: person.givenName, last_name: person.sn, email: person.mail, title: person.title };
}

function sorted(record: Record<string, string>): Array<[string, string]> {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}

function key(userName: string): string {
  return userName.trim().toLowerCase();
}

/** The differences of several comparisons in one row: the counts added, the examples kept. */
export function addDifferences(...all: readonly Differences[]): Differences {
  const sum = (pick: (d: Differences) => number) => all.reduce((total, d) => total + pick(d), 0);
  return {
    duplicates: sum((d) => d.duplicates),
    missing: sum((d) => d.missing),
    wrongActive: sum((d) => d.wrongActive),
    wrongFields: sum((d) => d.wrongFields),
    unexpected: sum((d) => d.unexpected),
    examples: all.flatMap((d) => d.examples).slice(0, 10),
  };
}
