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
  /** Codec endpoint the Web UI sends payloads to for display (`provisioner codec-server`). */
  readonly uiCodecEndpoint?: string;
  /** SQLite pragmas (`synchronous=NORMAL`) for a file-backed server. */
  readonly sqlitePragmas?: readonly string[];
}

export interface RunningDevServer {
  readonly address: string;
  /** The Web UI's address, when it runs. */
  readonly uiUrl: string | undefined;
  /** The server's Prometheus endpoint (request counts per operation, for benchmarks). */
  readonly metricsUrl: string;
  /** The server process now running (a new one after restart()). */
  readonly process: ChildProcess;
  stop(): Promise<void>;
  /** SIGKILL, for fault tests: what a file-backed server had written survives for restart(). */
  kill(): Promise<void>;
  /** Starts the server again on the same ports with the same file, after kill() or while running. */
  restart(): Promise<void>;
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
  // Every port is chosen here, so several servers (parallel test files) never collide; a port taken
  // by another process between choosing and binding makes the server exit, and a new set is tried.
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port)];
    const metricsPort = await freePort();
    args.push('--http-port', String(await freePort()), '--metrics-port', String(metricsPort));
    if (options.uiPort) args.push('--ui-port', String(options.uiPort), '--ui-disable-news-fetch');
    else args.push('--headless');
    args.push('--log-level', 'error', ...devServerSearchAttributeArgs());
    if (options.dbFile) args.push('--db-filename', options.dbFile);
    if (options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
    for (const pragma of options.sqlitePragmas ?? []) args.push('--sqlite-pragma', pragma);

    const address = `127.0.0.1:${port}`;
    const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    try {
      return running(options, args, { address, metricsUrl }, await launch(args, address));
    } catch (error) {
      const portTaken = error instanceof Error && error.message.includes('address already in use');
      if (!portTaken || attempt === 3) throw error;
    }
  }
}

/** The handle of a started server; restart() brings it back on the same ports and data. */
function running(
  options: DevServerOptions,
  args: string[],
  { address, metricsUrl }: { address: string; metricsUrl: string },
  first: ChildProcess,
): RunningDevServer {
  let child = first;
  return {
    address,
    metricsUrl,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined,
    get process() {
      return child;
    },
    stop: () => terminate(child, 'SIGTERM', 5000),
    kill: () => terminate(child, 'SIGKILL'),
    async restart() {
      await terminate(child, 'SIGTERM', 5000);
      child = await launch(args, address);
    },
  };
}

async function launch(args: readonly string[], address: string): Promise<ChildProcess> {
  const child = spawn(temporalCliPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitUntilReachable(address, child, () => output);
  return child;
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
