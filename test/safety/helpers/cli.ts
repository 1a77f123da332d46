import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

/** The compiled CLI, as an operator runs it (`npm test` builds dist/ first). */
export const cliPath = fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url));

/** How a CLI run ended. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `provisioner <args>` to the end with only `env` (plus PATH) in its environment. */
export function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 60_000,
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      { env: { PATH: process.env.PATH, LOG_FORMAT: 'json', ...env }, timeout: timeoutMs },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Starts `provisioner <args>` and leaves it running; its output is collected in `output()`. */
export function spawnCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): { process: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [cliPath, ...args], {
    env: { PATH: process.env.PATH, LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { process: child, output: () => output };
}

/** Writes `content` (YAML text, or an object to write as YAML) to a new file and returns its path. */
export function writeConfig(content: string | Record<string, unknown>): string {
  const path = join(mkdtempSync(join(tmpdir(), 'provisioner-config-')), 'provisioner.yaml');
  writeFileSync(path, typeof content === 'string' ? content : stringify(content));
  return path;
}

/** A line of a stack trace as Node prints it. */
export const stackTraceLine = /^\s+at .+[(:]\d+/m;
