import type { Config } from '../../config/load.js';
import { createAuthorization } from '../../servicenow/authorization.js';
import { durationMs } from '../../servicenow/duration.js';
import { ServiceNowError } from '../../servicenow/errors.js';
import { HttpTransport } from '../../servicenow/http-transport.js';
import { managedFields, rowToUser } from '../../servicenow/records.js';
import { RequestBudget } from '../../servicenow/request-budget.js';
import { TableApi, type TableCall } from '../../servicenow/table-api.js';
import { CheckList, type CheckResult } from './check-result.js';

const context = (operation: string, method: string): TableCall['context'] => ({
  operation,
  method,
  table: 'sys_user',
});

/**
 * ServiceNow, step by step, on `sys_user`: the credentials (a signed-in request), the right to read
 * (a page of accounts), the right to write and the mapped fields (one account read with them). The
 * instance has no way to ask for a right without using it, so the write check sends an update with
 * no field in it to another account than the integration user's own (users may write parts of their
 * own record): the instance checks the write access and, with nothing to change, changes nothing.
 */
export async function checkServiceNow(config: Config): Promise<CheckResult[]> {
  const settings = config.servicenow;
  const transport = new HttpTransport({
    instanceUrl: settings.instanceUrl,
    timeoutMs: durationMs(settings.timeout),
    caFile: settings.caFile,
    budget: new RequestBudget(settings),
  });
  const api = new TableApi('sys_user', transport, createAuthorization(settings, transport));
  const checks = new CheckList('servicenow');
  const self = settings.auth.username;
  let rows: Array<{ sys_id: string; user_name: string }> = [];

  const read = () =>
    api.call({
      context: context('check', 'GET'),
      method: 'GET',
      searchParams: {
        sysparm_fields: 'sys_id,user_name',
        sysparm_limit: '2',
        sysparm_query: 'ORDERBYsys_id',
      },
    });
  await checks.run('credentials', async () => {
    try {
      rows = (await read()) as typeof rows;
    } catch (error) {
      // Refused rights come after a successful sign-in; the next check reports them.
      if (!(error instanceof ServiceNowError && error.type === 'ServiceNowForbidden')) throw error;
    }
    return `signed in to ${settings.instanceUrl} as ${self} (${settings.auth.type})`;
  });
  await checks.run('read sys_user', async () => {
    rows = (await read()) as typeof rows;
    return `read sys_user (${rows.length === 0 ? 'no account visible' : 'accounts visible'})`;
  });
  await checks.run('write sys_user', async () => {
    const target = rows.find((row) => row.user_name.toLowerCase() !== self.toLowerCase());
    if (!target) throw new Error('no account other than the integration user to test the write on');
    await api.call({
      context: context('check', 'PATCH'),
      method: 'PATCH',
      sysId: target.sys_id,
      body: {},
      searchParams: { sysparm_fields: 'sys_id' },
    });
    return `may update sys_user (an empty update of ${target.sys_id} was accepted and changed nothing)`;
  });
  await checks.run('mapped fields', async () => {
    // The instance drops a field it does not know from sysparm_fields without a word: only a row shows it.
    const fields = Object.keys(config.mapping.fields);
    const sample = rows[0];
    if (sample === undefined) return `${fields.length} mapped fields not compared: no account visible`;
    const rowsRead = (await api.call({
      context: context('check', 'GET'),
      method: 'GET',
      searchParams: {
        sysparm_fields: [...managedFields, ...fields].join(','),
        sysparm_limit: '1',
        sysparm_query: `sys_id=${sample.sys_id}`,
      },
    })) as unknown[];
    for (const row of rowsRead) rowToUser(context('check', 'GET'), row, fields);
    return `sys_user has every mapped field (${fields.join(', ')})`;
  });
  return checks.results;
}
