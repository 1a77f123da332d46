import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { freePort, isPortFree } from '../../src/dev/processes.js';

/**
 * `npm run demo` as a newcomer runs it (the compiled demo, `--once` so it ends), on four free ports
 * and in a folder of its own so that a demo already running here is left alone.
 */
const run = promisify(execFile);
const demo = fileURLToPath(new URL('../../dist/demo/main.js', import.meta.url));

let workDir: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'demo-test-'));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

test('the demo links, provisions, updates and disables users in two reconciles, then stops everything it started', async () => {
  const basePort = await fourFreePorts();
  const { stdout } = await run(process.execPath, [demo, '--once', '--base-port', String(basePort)], {
    cwd: workDir,
    env: { PATH: process.env.PATH, LOG_FORMAT: 'json' },
    maxBuffer: 64 << 20,
  });

  const [first, second] = stdout.split('\nSecond reconcile:').map(decided);
  expect(first).toMatchObject({
    create: expect.any(Number),
    link: expect.any(Number),
    failed: 0,
    running: 0,
  });
  expect(first!.create).toBeGreaterThan(0);
  expect(first!.link).toBeGreaterThan(0);
  expect(second).toMatchObject({ link: 0, failed: 0, running: 0 });
  for (const action of ['create', 'update', 'disable'] as const) expect(second![action]).toBeGreaterThan(0);

  const config = parse(await readFile(join(workDir, '.data/demo/provisioner.yaml'), 'utf8')) as {
    temporal: { address: string };
    directory: { bindPassword: { file: string } };
  };
  expect(config.temporal.address).toBe(`127.0.0.1:${basePort}`);
  expect(config.directory.bindPassword).toEqual({ file: expect.stringContaining(workDir) });
  for (let port = basePort; port < basePort + 4; port++) expect(await isPortFree(port)).toBe(true);
}, 240_000);

test.each([
  [['--bogus'], "unknown option '--bogus'"],
  [['--people', 'lots'], 'expected a whole number from 50'],
  [['--base-port', '70000'], 'expected a whole number from 1024'],
])('a wrong command line %j exits 2 and starts nothing', async (args, message) => {
  const failure = await run(process.execPath, [demo, ...args], {
    cwd: workDir,
    env: { PATH: process.env.PATH },
  }).then(
    () => undefined,
    (error: unknown) => error as { code: number; stdout: string; stderr: string },
  );
  expect(failure).toMatchObject({ code: 2, stdout: '' });
  expect(failure!.stderr).toContain(message);
});

/** The counts one reconcile's printed summary gives: what it decided, and how many users failed or still run. */
function decided(
  text: string,
): Record<'create' | 'link' | 'update' | 'disable' | 'failed' | 'running', number> {
  const count = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? Number.NaN);
  return {
    create: count(/decided +create (\d+)/),
    link: count(/decided .*link (\d+)/),
    update: count(/decided .*update (\d+)/),
    disable: count(/decided .*disable (\d+)/),
    failed: count(/outcome .* (\d+) failed/),
    running: count(/outcome .* (\d+) still running/),
  };
}

/** The first of four consecutive free ports. */
async function fourFreePorts(): Promise<number> {
  for (;;) {
    const base = await freePort();
    if (base > 65_000) continue;
    const free = await Promise.all([1, 2, 3].map((i) => isPortFree(base + i)));
    if (free.every(Boolean)) return base;
  }
}
