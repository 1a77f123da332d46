import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { transformFile } from '@swc/core';
import { basic } from './helpers.js';

// The CLI runs as its own process, compiled from the sources into a folder inside node_modules so
// that it resolves fastify and commander like the built product does.
let compiled: string;

beforeAll(async () => {
  await mkdir('node_modules/.cache', { recursive: true });
  compiled = await mkdtemp(join('node_modules/.cache', 'emulator-cli-'));
  await writeFile(join(compiled, 'package.json'), '{ "type": "module" }');
  for (const file of (await readdir('src/emulator')).filter((name) => name.endsWith('.ts'))) {
    const output = await transformFile(join('src/emulator', file), {
      jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
      module: { type: 'es6' },
    });
    await writeFile(join(compiled, file.replace(/\.ts$/, '.js')), output.code);
  }
});
afterAll(() => rm(compiled, { recursive: true, force: true }));

interface CliRun {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output: () => string;
  exit: Promise<number | null>;
}

async function startCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const child = spawn(process.execPath, [join(compiled, 'main.js'), '--port', '0', ...args], {
    env: { ...process.env, ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    void exit.then((code) => reject(new Error(`The CLI exited with ${code}: ${output}`)));
  });
  return { child, url, output: () => output, exit };
}

async function users(url: string, auth: string): Promise<{ status: number; names: string[] }> {
  const response = await fetch(`${url}/api/now/table/sys_user`, { headers: { Authorization: auth } });
  const text = await response.text();
  const body = (response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : {}) as {
    result?: Array<{ user_name: string }>;
  };
  return { status: response.status, names: (body.result ?? []).map((user) => user.user_name) };
}

describe('the emulator CLI', () => {
  it('prints its URL, serves the seed and stops cleanly on SIGTERM', async () => {
    const run = await startCli(['--quiet']);

    const served = await users(run.url, basic('admin', 'admin'));
    run.child.kill('SIGTERM');

    expect(served).toEqual({ status: 200, names: ['admin', 'svc.provisioning', 'guest'] });
    expect(await run.exit).toBe(0);
    expect(run.output()).toContain('stopping on SIGTERM');
  });

  it('takes accounts from SN_EMULATOR_ACCOUNTS and records from a file without the seed', async () => {
    const file = join(compiled, 'records.json');
    await writeFile(file, JSON.stringify([{ user_name: 'from.file', active: true }]));
    const run = await startCli(['--records', file, '--no-seed', '--quiet'], {
      SN_EMULATOR_ACCOUNTS: 'robot:pw-one,other:pw-two',
    });

    const served = await users(run.url, basic('other', 'pw-two'));
    const refused = await users(run.url, basic('admin', 'admin'));
    run.child.kill('SIGINT');

    expect(served).toEqual({ status: 200, names: ['from.file'] });
    expect(refused.status).toBe(401);
    expect(await run.exit).toBe(0);
  });

  it('prints one line per request, naming the user but never the password', async () => {
    const run = await startCli(['--account', 'robot:hush-hush']);

    await users(run.url, basic('robot', 'hush-hush'));
    run.child.kill('SIGTERM');
    await run.exit;

    expect(run.output()).toMatch(/GET \/api\/now\/table\/sys_user 200 user=robot/);
    expect(run.output()).not.toContain('hush-hush');
  });

  it('injects the faults and registers the OAuth clients given as flags', async () => {
    const run = await startCli([
      '--quiet',
      '--error-rate',
      '1',
      '--fault-seed',
      '3',
      '--oauth-client',
      'cli:cli-secret',
    ]);
    const form = { grant_type: 'password', client_id: 'cli', client_secret: 'cli-secret' };

    const token = await fetch(`${run.url}/oauth_token.do`, {
      method: 'POST',
      body: new URLSearchParams({ ...form, username: 'admin', password: 'admin' }),
    });
    const served = await users(run.url, basic('admin', 'admin'));
    run.child.kill('SIGTERM');

    expect(token.status).toBe(200);
    expect(served.status).toBeGreaterThanOrEqual(500);
    expect(await run.exit).toBe(0);
  });

  it('exits 1 naming the flag when a fault setting is out of range', async () => {
    await expect(startCli(['--error-rate', '2'])).rejects.toThrow(/exited with 1: emulator: .*errorRate/);
  });

  it('exits 1 with the reason when the records file cannot be read', async () => {
    const run = startCli(['--records', join(compiled, 'missing.json')]);

    await expect(run).rejects.toThrow(/exited with 1: emulator: Cannot read the records file/);
  });
});
