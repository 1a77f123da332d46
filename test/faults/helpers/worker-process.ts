import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { terminate } from '../../../src/dev/processes.js';

/** The compiled CLI, as an operator runs it (`npm run test:faults` builds dist/ first). */
const cliPath = fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url));

/** One line of the worker's JSON log. */
export type LogLine = { readonly msg?: string } & Readonly<Record<string, unknown>>;

/**
 * `provisioner worker` as a child process that the suite can kill with SIGKILL and start again,
 * counting both. Its output is kept (the last part) for a failure message.
 */
export class WorkerProcess {
  kills = 0;
  starts = 0;
  private child: ChildProcess | undefined;
  private output = '';
  private partialLine = '';
  private readonly watchers = new Set<(line: LogLine) => void>();

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
    this.partialLine = '';
    this.starts += 1;
    let ready: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (ready = resolve));
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
      if (this.output.includes('"worker started"')) ready();
    };
    child.stdout.on('data', (chunk: Buffer) => this.readLines(chunk));
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

  /**
   * Resolves with the first log line from now on that passes `test`, as soon as the worker prints it
   * (each line is looked at, however fast they come), so a fault can be injected at that moment.
   */
  nextLog(test: (line: LogLine) => boolean): Promise<LogLine> {
    return new Promise((resolve) => {
      const watcher = (line: LogLine) => {
        if (!test(line)) return;
        this.watchers.delete(watcher);
        resolve(line);
      };
      this.watchers.add(watcher);
    });
  }

  private readLines(chunk: Buffer): void {
    const lines = (this.partialLine + chunk.toString()).split('\n');
    this.partialLine = lines.pop() ?? '';
    if (this.watchers.size === 0) return;
    for (const text of lines) {
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        continue;
      }
      for (const watcher of [...this.watchers]) watcher(line);
    }
  }

  /** What the running worker printed lately. */
  recentOutput(): string {
    return this.output;
  }
}
