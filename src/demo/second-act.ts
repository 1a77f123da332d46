import {
  addPerson,
  addToGroup,
  deletePerson,
  lockPerson,
  modifyPerson,
  removeFromGroup,
} from '../dev/directory-fixtures.js';
import type { SampleDirectory, SamplePerson } from '../dev/sample-directory.js';
import type { RunningSlapd } from '../dev/slapd.js';

/**
 * Changes the directory the way a working week does, so the second reconcile shows updates,
 * disables and new accounts. Returns one line per change for the demo to print.
 */
export async function changeTheDirectory(
  slapd: RunningSlapd,
  sample: SampleDirectory,
  inScope: (p: SamplePerson) => boolean,
): Promise<string[]> {
  const scopeCn = 'servicenow-users';
  const direct = sample.people.filter((p) => !p.disabled && p.groups.includes(sample.groupDns.scope));
  const [promoted, leaverA, leaverB, movedA, movedB, deleted] = direct;
  if (!promoted || !leaverA || !leaverB || !movedA || !movedB || !deleted) {
    throw new Error('the sample directory is too small for the demo: use --people 50 or more');
  }
  const lines: string[] = [];

  await modifyPerson(slapd, promoted.uid, { title: `Senior ${promoted.title}` });
  lines.push(`${promoted.uid}: title is now "Senior ${promoted.title}"`);

  for (const leaver of [leaverA, leaverB]) {
    await lockPerson(slapd, leaver.uid);
    lines.push(`${leaver.uid}: locked (left the company)`);
  }
  for (const moved of [movedA, movedB]) {
    await removeFromGroup(slapd, scopeCn, moved.dn);
    lines.push(`${moved.uid}: removed from ${scopeCn}`);
  }
  await deletePerson(slapd, deleted.uid);
  lines.push(`${deleted.uid}: deleted from the directory`);

  for (const [givenName, sn] of [
    ['Noor', 'Haddad'],
    ['Émile', 'Fournier'],
  ] as const) {
    const uid = `${givenName
      .normalize('NFD')
      .replace(/[^A-Za-z]/g, '')[0]!
      .toLowerCase()}${sn.toLowerCase()}.new`;
    const dn = await addPerson(slapd, { uid, givenName, sn, title: 'Analyst', mail: `${uid}@example.com` });
    await addToGroup(slapd, scopeCn, dn);
    lines.push(`${uid}: hired and added to ${scopeCn}`);
  }

  const stillOut = sample.people.filter((p) => !inScope(p)).length;
  lines.push(`(${stillOut} people in no scope group stay out of ServiceNow)`);
  return lines;
}
