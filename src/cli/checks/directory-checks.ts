import type { Client } from 'ldapts';
import type { Config } from '../../config/load.js';
import { closeQuietly, openDirectoryConnection } from '../../directory/connection.js';
import { toDirectoryError } from '../../directory/errors.js';
import { readDirectoryScope } from '../../directory/read-scope.js';
import {
  describeMappedAttributeProblems,
  findMappedAttributeProblems,
  mappedAttributeNames,
} from '../../startup/mapped-attributes.js';
import { CheckList, type CheckResult } from './check-result.js';

/**
 * The directory, step by step: connect and bind with the configured account, read the base DN
 * entry, find every mapped attribute in the schema, then read the whole scope as a reconcile does
 * and count the users in it.
 */
export async function checkDirectory(config: Config): Promise<CheckResult[]> {
  const settings = config.directory;
  const checks = new CheckList('directory');
  let client: Client | undefined;

  await checks.run('bind', async () => {
    client = await openDirectoryConnection(settings);
    return `bound to ${settings.url} as ${settings.bindDn}`;
  });
  try {
    await checks.run('read base DN', async () => {
      try {
        await client!.search(settings.baseDn, {
          scope: 'base',
          filter: '(objectClass=*)',
          attributes: ['1.1'],
        });
      } catch (error) {
        throw toDirectoryError(error, 'search', `directory ${settings.url} (read ${settings.baseDn})`);
      }
      return `read ${settings.baseDn}`;
    });
    await checks.run('mapped attributes', async () => {
      const problems = await findMappedAttributeProblems(client!, config.mapping);
      if (problems === undefined) return `mapped attributes not compared: the schema could not be read`;
      if (problems.length > 0) throw new Error(describeMappedAttributeProblems(problems));
      return `the schema defines every mapped attribute (${mappedAttributeNames(config.mapping).join(', ')})`;
    });
  } finally {
    if (client) await closeQuietly(client);
  }
  await checks.run('users in scope', async () => {
    // Counting needs only the id, the user name and the disabled flag the reader always reads.
    const scope = await readDirectoryScope(settings, {
      userNameAttribute: config.mapping.userName,
      attributes: [],
    });
    return `${scope.users.length} users in scope (${scope.entriesRead} entries read, ${scope.skipped.length} skipped)`;
  });
  return checks.results;
}
