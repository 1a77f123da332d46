import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { terminate } from '../dev/processes.js';
import { compiledScript } from './compiled.js';

/** A worker running as a process of its own, whose memory and CPU the benchmark watches. */
export interface WorkerProcess {
  readonly pid: number;
  stop(): Promise<void>;
}

/** How to start a worker process. */
export interface WorkerProcessOptions {
  /** The script and its arguments, after `node`. */
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** Where its output goes. */
  readonly logFile: string;
  /** Resolves once the worker polls its task queue. */
  readonly ready: () => Promise<boolean>;
  /** Directory for a V8 CPU profile written when the process exits; none when unset. */
  readonly cpuProfileDir?: string | undefined;
}

/** Starts a worker process and waits until it is ready (two minutes at most: it bundles its workflows). */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const profile = options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [];
  const child = spawn(process.execPath, [...profile, ...options.args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  const log = createWriteStream(options.logFile);
  child.stdout.pipe(log);
  child.stderr.pipe(log);

  const deadline = Date.now() + 120_000;
  while (!(await options.ready())) {
    if (child.exitCode !== null) throw await exitError(child, options.logFile);
    if (Date.now() > deadline) {
      await terminate(child, 'SIGKILL');
      throw new Error(`the worker did not start within two minutes; see ${options.logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { pid: child.pid!, stop: () => terminate(child, 'SIGTERM', 30_000) };
}

async function exitError(child: ChildProcess, logFile: string): Promise<Error> {
  const output = await readFile(logFile, 'utf8').catch(() => '');
  return new Error(`the worker exited with code ${child.exitCode}:\n${output.slice(-3000)}`);
}

/** `dist/cli/main.js`, the product's own command line. */
export function productCliPath(): string {
  return compiledScript('cli/main.js');
}

/** The log file of a worker named `name` in `workDir`. */
export function workerLogFile(workDir: string, name: string): string {
  return join(workDir, `${name}.log`);
}
