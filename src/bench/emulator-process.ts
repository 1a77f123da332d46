import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { terminate } from '../dev/processes.js';
import type { RequestLogEntry } from '../emulator/index.js';
import { compiledScript } from './compiled.js';

/** The account the benchmark itself reads the request log and the records with. */
const benchAccount = { userName: 'bench.observer', password: 'bench-observer-password' };

/** The ServiceNow emulator running as a process of its own, seen only over HTTP. */
export interface EmulatorProcess {
  readonly url: string;
  readonly pid: number;
  /** Requests of the product's account the emulator answered since the last clearLog(), from its log. */
  requestLog(): Promise<RequestLogEntry[]>;
  /** Empties the emulator's request log, to start a measured window. */
  clearLog(): Promise<void>;
  /** Every sys_user row, read through the Table API with the benchmark's own account. */
  userRecords(): Promise<Array<Record<string, string>>>;
  /** The sys_user rows with this user_name (one, as a rule), read as userRecords() reads. */
  userRecord(userName: string): Promise<Array<Record<string, string>>>;
  setRateLimit(requestsPerSecond: number | null): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts `dist/emulator/main.js` on a free port with the product's integration account and the
 * given sys_user records. It runs in its own process so that its CPU is not the benchmark's.
 */
export async function startEmulatorProcess(options: {
  workDir: string;
  integration: { userName: string; password: string };
  records: ReadonlyArray<Record<string, string | boolean>>;
}): Promise<EmulatorProcess> {
  const recordsFile = join(options.workDir, 'sys_user.json');
  await writeFile(recordsFile, JSON.stringify(options.records));
  const main = compiledScript('emulator/main.js');
  const accounts = [options.integration, benchAccount].map((a) => `${a.userName}:${a.password}`);
  const args = [main, '--port', '0', '--quiet', '--records', recordsFile];
  for (const account of accounts) args.push('--account', account);

  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await listeningUrl(child);
  const authorization = `Basic ${Buffer.from(accounts[1]!).toString('base64')}`;
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`emulator ${method} ${path}: HTTP ${response.status}`);
    return response.status === 204 ? undefined : ((await response.json()) as { result: unknown }).result;
  };

  return {
    url,
    pid: child.pid!,
    async requestLog() {
      const entries = (await call('GET', '/emulator/requests')) as RequestLogEntry[];
      return entries.filter((entry) => entry.user === options.integration.userName);
    },
    clearLog: async () => void (await call('DELETE', '/emulator/requests')),
    async userRecords() {
      const rows: Array<Record<string, string>> = [];
      for (let last = ''; ;) {
        const query = `${last ? `sys_id>${last}^` : ''}ORDERBYsys_id`;
        const page = (await call(
          'GET',
          `/api/now/table/sys_user?sysparm_limit=5000&sysparm_query=${encodeURIComponent(query)}`,
        )) as Array<Record<string, string>>;
        if (page.length === 0) return rows;
        rows.push(...page);
        last = page.at(-1)!.sys_id!;
      }
    },
    userRecord: async (userName) =>
      (await call(
        'GET',
        `/api/now/table/sys_user?sysparm_limit=10&user_name=${encodeURIComponent(userName)}`,
      )) as Array<Record<string, string>>,
    setRateLimit: async (requestsPerSecond) =>
      void (await call('PUT', '/emulator/faults', {
        rateLimit: requestsPerSecond === null ? null : { requestsPerSecond },
      })),
    stop: () => terminate(child, 'SIGTERM', 5000),
  };
}

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        child.stdout?.off('data', onData);
        resolve(match[1]!);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`the emulator exited with code ${code}:\n${output}`)));
  });
}
