import type { RunningSlapd } from '../../src/dev/slapd.js';
import type { Output } from '../../src/cli/output.js';
import { addPerson, addToGroup, asAdmin } from '../helpers/directory.js';

/** An Output that keeps what a command wrote, for the test to read. */
export interface CapturedOutput extends Output {
  text(): string;
}

export function captureOutput(isTTY = false): CapturedOutput {
  let text = '';
  return { isTTY, write: (chunk) => void (text += chunk), text: () => text };
}

/** Adds a person with the mapped attributes to the directory and to the scope group; returns the DN. */
export async function hire(
  slapd: RunningSlapd,
  uid: string,
  extra: Record<string, string> = {},
): Promise<string> {
  const dn = await addPerson(slapd, {
    uid,
    givenName: 'Pat',
    sn: `Person-${uid}`,
    mail: `${uid}@example.com`,
    title: 'Engineer',
    ...extra,
  });
  await addToGroup(slapd, 'servicenow-users', dn);
  return dn;
}

/** Every entry of the directory with its operational attributes (entryCSN, modifyTimestamp), as text. */
export function directorySnapshot(slapd: RunningSlapd): Promise<string> {
  return asAdmin(slapd, async (client) => {
    const { searchEntries } = await client.search(slapd.suffix, { scope: 'sub', attributes: ['*', '+'] });
    return JSON.stringify(searchEntries.sort((a, b) => a.dn.localeCompare(b.dn)));
  });
}
