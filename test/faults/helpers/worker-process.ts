import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { terminate } from '../../../src/dev/processes.js';

/** The compiled CLI, as an operator runs it (`npm run test:faults` builds dist/ first). */
const cliPath = fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url));

/**
 * `provisioner worker` as a child process that the suite can kill with SIGKILL and start again,
 * counting both. Its output is kept (the last part) for a failure message.
 */
export class WorkerProcess {
  kills = 0;
  starts = 0;
  private child: ChildProcess | undefined;
  private output = '';

  constructor(
    private readonly configFile: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Starts the worker and waits until it polls its task queue. */
  async start(): Promise<void> {
    const child = spawn(process.execPath, [cliPath, '-c', this.configFile, 'worker', '--no-schedule'], {
      env: { PATH: process.env.PATH, LOG_FORMAT: 'json', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts += 1;
    let ready: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (ready = resolve));
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
      if (this.output.includes('"worker started"')) ready();
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) =>
        reject(new Error(`the worker exited (${code ?? signal}) before it started:\n${this.output}`)),
      ),
    );
    await Promise.race([started, exited]);
    this.output = '';
  }

  /** SIGKILL: no shutdown, no activity completion, exactly as a crashed machine. */
  async kill(): Promise<void> {
    if (!this.child) return;
    await terminate(this.child, 'SIGKILL');
    this.kills += 1;
  }

  /** SIGTERM and wait for the exit. */
  async stop(): Promise<void> {
    if (this.child) await terminate(this.child, 'SIGTERM', 15_000);
  }

  /** What the running worker printed lately. */
  recentOutput(): string {
    return this.output;
  }
}
