import type { SamplePerson } from '../dev/sample-directory.js';

/** A sys_user record as the emulator loads it. */
export type AccountRecord = Record<string, string | boolean>;

/**
 * Accounts that exist in ServiceNow before the first reconcile, chosen so the first run shows every
 * kind of decision: people who already have an account (some in step, some with stale fields, some
 * inactive, one spelt with other capitals), active accounts of people disabled in the directory,
 * and accounts of people out of scope or long gone, which the product must leave alone.
 */
export function preexistingAccounts(
  people: readonly SamplePerson[],
  inScope: (p: SamplePerson) => boolean,
): AccountRecord[] {
  const enabled = people.filter((p) => inScope(p) && !p.disabled);
  const disabled = people.filter((p) => inScope(p) && p.disabled);
  const outside = people.filter((p) => !inScope(p));

  const linked = enabled.filter((_, i) => i % 5 === 0).map((person, i) => accountOf(person, i));
  const toDisable = disabled.slice(0, 4).map((person) => ({ ...accountOf(person, 0), active: true }));
  const untouched = outside.slice(0, 5).map((person) => accountOf(person, 0));
  const strangers: AccountRecord[] = [
    {
      user_name: 'former.employee',
      first_name: 'Former',
      last_name: 'Employee',
      email: 'former@example.com',
      active: false,
    },
    { user_name: 'contractor.2019', first_name: 'Old', last_name: 'Contractor', email: 'c2019@example.com' },
  ];
  return [...linked, ...toDisable, ...untouched, ...strangers];
}

function accountOf(person: SamplePerson, i: number): AccountRecord {
  const stale = i % 2 === 1;
  return {
    user_name: i === 2 ? capitalised(person.uid) : person.uid,
    first_name: person.givenName,
    last_name: person.sn,
    email: stale ? `${person.uid}@old-domain.example` : person.mail,
    title: stale ? 'Associate' : person.title,
    active: i % 7 !== 3,
  };
}

function capitalised(uid: string): string {
  return uid.slice(0, 1).toUpperCase() + uid.slice(1, 2).toUpperCase() + uid.slice(2);
}
