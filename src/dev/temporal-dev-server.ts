import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { devServerSearchAttributeArgs } from '../temporal/search-attributes.js';
import { freePort, terminate } from './processes.js';

export interface DevServerOptions {
  /** Frontend port; a free one when unset. */
  readonly port?: number;
  /** Web UI port; no UI when unset. */
  readonly uiPort?: number;
  /** SQLite file to keep state across restarts; in memory when unset. */
  readonly dbFile?: string;
}

export interface RunningDevServer {
  readonly address: string;
  /** The Web UI's address, when it runs. */
  readonly uiUrl: string | undefined;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** The Temporal CLI that scripts/setup.sh installs into the project's tools folder. */
export function temporalCliPath(): string {
  const path = fileURLToPath(new URL('../../.tools/bin/temporal', import.meta.url));
  if (!existsSync(path))
    throw new Error(`the Temporal CLI is not installed at ${path}: run \`npm run setup\``);
  return path;
}

/**
 * Starts `temporal server start-dev` with the product's search attributes and waits until it
 * accepts connections. Its output is kept and shown if it fails to start.
 */
export async function startTemporalDevServer(options: DevServerOptions = {}): Promise<RunningDevServer> {
  // Every port is chosen here, so several servers (parallel test files) never collide.
  const port = options.port ?? (await freePort());
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port)];
  args.push('--http-port', String(await freePort()), '--metrics-port', String(await freePort()));
  if (options.uiPort) args.push('--ui-port', String(options.uiPort), '--ui-disable-news-fetch');
  else args.push('--headless');
  args.push('--log-level', 'error', ...devServerSearchAttributeArgs());
  if (options.dbFile) args.push('--db-filename', options.dbFile);

  const child = spawn(temporalCliPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const address = `127.0.0.1:${port}`;
  await waitUntilReachable(address, child, () => output);

  return {
    address,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined,
    process: child,
    stop: () => terminate(child, 'SIGTERM', 5000),
  };
}

async function waitUntilReachable(address: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`the Temporal dev server exited with code ${child.exitCode}:\n${output()}`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: '1s' });
      await connection.close();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  child.kill('SIGKILL');
  throw new Error(`the Temporal dev server did not answer on ${address} within 30 s:\n${output()}`);
}
