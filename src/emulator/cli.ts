import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { parseFaultChanges } from './fault-settings.js';
import { startEmulator } from './server.js';
import type { EmulatorAccount, EmulatorOAuthClient, EmulatorOptions, FaultSettings } from './types.js';

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
  oauthClient: string[];
  tokenLifetime?: string;
  records?: string;
  seed: boolean;
  quiet: boolean;
  latency?: string;
  errorRate?: string;
  rateLimit?: string;
  retryAfterMissing?: boolean;
  commitThen500?: string;
  faultSeed?: string;
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
    .addOption(
      new Option(
        '--oauth-client <id:secret>',
        'OAuth application; repeat for more (default emulator:emulator)',
      )
        .env('SN_EMULATOR_OAUTH_CLIENTS')
        .argParser(collect)
        .default([]),
    )
    .option('--token-lifetime <seconds>', 'lifetime of OAuth access tokens (default 1800)')
    .option('--records <file>', 'JSON array of sys_user records to load at start')
    .option('--no-seed', 'start without the default records (admin, svc.provisioning, guest, departments)')
    .option('--quiet', 'do not print a line per request', false)
    .option('--latency <ms>', 'delay every Table API answer')
    .option('--error-rate <share>', 'share (0-1) of requests answered 500 or 503 without being applied')
    .option('--rate-limit <requestsPerSecond>', 'per-user budget; over it, 429')
    .option('--retry-after-missing', 'answer 429 without Retry-After')
    .option('--commit-then-500 <share>', 'share (0-1) of POST, PUT and PATCH applied and then answered 500')
    .option('--fault-seed <n>', 'seed of the generator that picks the faulty requests');
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
  if (flags.oauthClient.length > 0) options.oauthClients = flags.oauthClient.map(parseClient);
  if (flags.tokenLifetime !== undefined)
    options.tokenLifetimeSeconds = numberFlag('--token-lifetime', flags.tokenLifetime);
  if (flags.records !== undefined) options.records = await readRecords(flags.records);
  options.faults = faultFlags(flags);
  return options;
}

function faultFlags(flags: CliFlags): Partial<FaultSettings> {
  const faults: Partial<FaultSettings> = {};
  if (flags.latency !== undefined) faults.latencyMs = numberFlag('--latency', flags.latency);
  if (flags.errorRate !== undefined) faults.errorRate = numberFlag('--error-rate', flags.errorRate);
  if (flags.rateLimit !== undefined)
    faults.rateLimit = { requestsPerSecond: numberFlag('--rate-limit', flags.rateLimit) };
  if (flags.retryAfterMissing === true) faults.retryAfterMissing = true;
  if (flags.commitThen500 !== undefined)
    faults.commitThen500 = numberFlag('--commit-then-500', flags.commitThen500);
  if (flags.faultSeed !== undefined) faults.seed = numberFlag('--fault-seed', flags.faultSeed);

  try {
    return parseFaultChanges(faults);
  } catch (error) {
    throw new EmulatorCliError(error instanceof Error ? error.message : 'Invalid fault flags', {
      cause: error,
    });
  }
}

// Values from the environment arrive as one comma-separated string; flags one per occurrence.
function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').filter((part) => part !== '')];
}

function parseAccount(text: string): EmulatorAccount {
  const [userName, password] = splitPair(text, 'An account must be written user:password');
  return { userName, password };
}

function parseClient(text: string): EmulatorOAuthClient {
  const [clientId, clientSecret] = splitPair(text, 'An OAuth client must be written id:secret');
  return { clientId, clientSecret };
}

// Only the first colon separates: a password or secret may contain more. The message never echoes the text.
function splitPair(text: string, message: string): [string, string] {
  const colon = text.indexOf(':');
  if (colon <= 0) throw new EmulatorCliError(message);
  return [text.slice(0, colon), text.slice(colon + 1)];
}

function integerFlag(flag: string, text: string): number {
  const value = numberFlag(flag, text);
  if (!Number.isInteger(value)) throw new EmulatorCliError(`${flag} needs a whole number, got ${text}`);
  return value;
}

function numberFlag(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new EmulatorCliError(`${flag} needs a number of 0 or more, got ${text}`);
  }
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
