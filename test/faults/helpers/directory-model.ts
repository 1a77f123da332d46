import {
  addPerson,
  addToGroup,
  deletePerson,
  lockPerson,
  modifyPerson,
  removeFromGroup,
} from '../../../src/dev/directory-fixtures.js';
import type { SampleDirectory } from '../../../src/dev/sample-directory.js';
import type { RunningSlapd } from '../../../src/dev/slapd.js';
import { samplePeople, type DirectoryPerson } from './expected-state.js';

/** How many people one round of changes touches, each a different person. */
export interface DirectoryChanges {
  /** A new title: an update of one mapped field. */
  readonly retitled?: number;
  /** Removed from the scope group: a disable. */
  readonly leavers?: number;
  /** Locked by an administrator: a disable. */
  readonly locked?: number;
  /** Deleted from the directory: a disable. */
  readonly deleted?: number;
  /** New people added to the scope group: creates. */
  readonly hires?: number;
}

const scopeGroupCn = 'servicenow-users';

/**
 * The generated directory as a case has changed it since slapd was loaded: it makes each change in
 * slapd and keeps the list of people the expected state is computed from. Only people who are
 * direct members of the scope group, enabled and not yet changed are picked, so each change has
 * exactly the effect its name says.
 */
export class DirectoryModel {
  private readonly people: Map<string, DirectoryPerson>;
  private readonly candidates: string[];
  private hired = 0;

  constructor(
    private readonly slapd: RunningSlapd,
    sample: SampleDirectory,
  ) {
    this.people = new Map(samplePeople(sample).map((p) => [p.uid, p]));
    this.candidates = sample.people
      .filter((p) => !p.disabled && p.groups.includes(sample.groupDns.scope))
      .map((p) => p.uid);
  }

  /** The people the directory holds now. */
  current(): DirectoryPerson[] {
    return [...this.people.values()];
  }

  /** Makes one round of changes in slapd; `tag` (letters and digits) marks the new values. Describes them. */
  async change(tag: string, changes: DirectoryChanges): Promise<string> {
    const done: string[] = [];
    const each = async (count: number | undefined, what: string, apply: (uid: string) => Promise<void>) => {
      if (!count) return;
      for (const uid of this.take(count)) await apply(uid);
      done.push(`${count} ${what}`);
    };

    await each(changes.retitled, 'retitled', async (uid) => {
      const title = `Fault ${tag} ${uid}`.slice(0, 60);
      await modifyPerson(this.slapd, uid, { title });
      this.update(uid, { title });
    });
    await each(changes.leavers, 'removed from the scope group', async (uid) => {
      await removeFromGroup(this.slapd, scopeGroupCn, this.dnOf(uid));
      this.update(uid, { inScope: false });
    });
    await each(changes.locked, 'locked', async (uid) => {
      await lockPerson(this.slapd, uid);
      this.update(uid, { disabled: true });
    });
    await each(changes.deleted, 'deleted', async (uid) => {
      await deletePerson(this.slapd, uid);
      this.people.delete(uid);
    });
    for (let i = 0; i < (changes.hires ?? 0); i++) await this.hire(tag);
    if (changes.hires) done.push(`${changes.hires} hired`);
    return `directory: ${done.join(', ')}`;
  }

  private async hire(tag: string): Promise<void> {
    this.hired += 1;
    const person: DirectoryPerson = {
      uid: `hire-${tag}-${this.hired}`,
      givenName: 'New',
      sn: `Hire ${this.hired}`,
      mail: `hire-${tag}-${this.hired}@example.com`,
      title: `Hired in ${tag}`,
      inScope: true,
      disabled: false,
    };
    const { inScope: _inScope, disabled: _disabled, ...attributes } = person;
    const dn = await addPerson(this.slapd, attributes);
    await addToGroup(this.slapd, scopeGroupCn, dn);
    this.people.set(person.uid, person);
  }

  private take(count: number): string[] {
    if (this.candidates.length < count)
      throw new Error(`only ${this.candidates.length} people left to change`);
    return this.candidates.splice(0, count);
  }

  private update(uid: string, changes: Partial<DirectoryPerson>): void {
    const person = this.people.get(uid);
    if (!person) throw new Error(`${uid} is not in the directory`);
    this.people.set(uid, { ...person, ...changes });
  }

  private dnOf(uid: string): string {
    return `uid=${uid},${this.slapd.peopleDn}`;
  }
}
