import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { BenchStack } from './bench-stack.js';
import { benchMapping } from './bench-stack.js';

const run = promisify(execFile);

/**
 * The fastest plain read of both sides, as the limit of a no-change reconcile: `ldapsearch` of the
 * same scope and attributes with the product's page size, and at the same time a plain paged GET of
 * every sys_user (keyset on sys_id, the product's page size and fields). Seconds until both ended.
 */
export async function rawReadSeconds(
  stack: BenchStack,
  pageSizes: { directory: number; servicenow: number },
): Promise<number> {
  const started = performance.now();
  await Promise.all([ldapsearch(stack, pageSizes.directory), pagedGet(stack, pageSizes.servicenow)]);
  return (performance.now() - started) / 1000;
}

async function ldapsearch(stack: BenchStack, pageSize: number): Promise<void> {
  const { slapd } = stack;
  const attributes = ['entryUUID', 'uid', 'pwdAccountLockedTime', ...Object.values(benchMapping)];
  const args = ['-x', '-LLL', '-H', slapd.url, '-D', slapd.readerDn, '-w', slapd.readerPassword];
  args.push('-b', slapd.peopleDn, '-E', `pr=${pageSize}/noprompt`, '(objectClass=inetOrgPerson)');
  const { stdout } = await run('ldapsearch', [...args, ...attributes], { maxBuffer: 1 << 30 });
  const entries = stdout.split('\ndn: ').length;
  if (entries < stack.people.length) throw new Error(`ldapsearch returned ${entries} entries`);
}

async function pagedGet(stack: BenchStack, pageSize: number): Promise<void> {
  const fields = ['sys_id', 'user_name', 'active', 'locked_out', ...Object.keys(benchMapping)].join(',');
  const authorization = `Basic ${Buffer.from(`svc.provisioning:${stack.env.BENCH_SN_PASSWORD}`).toString('base64')}`;
  for (let last = ''; ;) {
    const query = `${last ? `sys_id>${last}^` : ''}ORDERBYsys_id`;
    const params = new URLSearchParams({
      sysparm_query: query,
      sysparm_fields: fields,
      sysparm_limit: String(pageSize),
      sysparm_no_count: 'true',
    });
    const response = await fetch(`${stack.emulator.url}/api/now/table/sys_user?${params.toString()}`, {
      headers: { authorization, accept: 'application/json' },
    });
    const rows = ((await response.json()) as { result: Array<{ sys_id: string }> }).result;
    if (rows.length === 0) return;
    last = rows.at(-1)!.sys_id;
  }
}
