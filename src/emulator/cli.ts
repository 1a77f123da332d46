import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { startEmulator } from './server.js';
import type { EmulatorAccount, EmulatorOptions } from './types.js';

/** A command line the emulator cannot start from: a malformed flag value or an unreadable file. */
export class EmulatorCliError extends Error {
  readonly code = 'EMULATOR_CLI_INVALID';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmulatorCliError';
  }
}

interface CliFlags {
  host: string;
  port: string;
  account: string[];
  records?: string;
  seed: boolean;
  quiet: boolean;
}

/**
 * Runs the standalone emulator: parses `argv` (as `process.argv`: the first two entries are the
 * runtime and the script), starts it, prints its URL and serves until SIGINT or SIGTERM.
 */
export async function runEmulatorCli(argv: string[]): Promise<void> {
  const flags = parseFlags(argv);
  const emulator = await startEmulator(await emulatorOptions(flags));
  process.stdout.write(`ServiceNow emulator listening on ${emulator.url}\n`);

  const signal = await nextSignal();
  process.stdout.write(`ServiceNow emulator stopping on ${signal}\n`);
  await emulator.close();
}

function parseFlags(argv: string[]): CliFlags {
  const program = new Command('servicenow-emulator')
    .description('Serves an emulated ServiceNow Table API until interrupted.')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', '8090')
    .addOption(
      new Option('--account <user:password>', 'API account; repeat for more (default admin:admin)')
        .env('SN_EMULATOR_ACCOUNTS')
        .argParser(collect)
        .default([]),
    )
    .option('--records <file>', 'JSON array of sys_user records to load at start')
    .option('--no-seed', 'start without the default records (admin, svc.provisioning, guest, departments)')
    .option('--quiet', 'do not print a line per request', false);
  return program.parse(argv).opts<CliFlags>();
}

async function emulatorOptions(flags: CliFlags): Promise<EmulatorOptions> {
  const options: EmulatorOptions = {
    host: flags.host,
    port: integerFlag('--port', flags.port),
    seed: flags.seed ? 'default' : 'none',
    logRequests: !flags.quiet,
  };
  if (flags.account.length > 0) options.accounts = flags.account.map(parseAccount);
  if (flags.records !== undefined) options.records = await readRecords(flags.records);
  return options;
}

// Values from the environment arrive as one comma-separated string; flags one per occurrence.
function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').filter((part) => part !== '')];
}

function parseAccount(text: string): EmulatorAccount {
  const colon = text.indexOf(':');
  if (colon <= 0) throw new EmulatorCliError('An account must be written user:password');
  return { userName: text.slice(0, colon), password: text.slice(colon + 1) };
}

function integerFlag(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0)
    throw new EmulatorCliError(`${flag} needs a whole number, got ${text}`);
  return value;
}

async function readRecords(file: string): Promise<NonNullable<EmulatorOptions['records']>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new EmulatorCliError(`Cannot read the records file ${file}`, { cause: error });
  }

  const valid = (record: unknown): boolean =>
    typeof record === 'object' &&
    record !== null &&
    !Array.isArray(record) &&
    Object.values(record).every((value) => ['string', 'number', 'boolean'].includes(typeof value));
  if (!Array.isArray(parsed) || !parsed.every(valid)) {
    throw new EmulatorCliError(`The records file ${file} must hold a JSON array of flat objects`);
  }
  return parsed as NonNullable<EmulatorOptions['records']>;
}

function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
