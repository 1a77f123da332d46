import { CommanderError } from 'commander';
import { ConfigError } from '../config/load.js';
import { exitCodes } from './exit-codes.js';

/**
 * Ends the process after a command failed: a person's mistake (the configuration, the command line)
 * exits 2 with its message; anything else (a dependency down, no such user) exits 1 with its message.
 * Our errors name the system and the cause and never hold a secret, so the message is shown as is.
 */
export function exitOnError(error: unknown): never {
  if (error instanceof CommanderError) {
    // Commander has printed its message already; help and --version are not failures.
    const helpOrVersion = ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(
      error.code,
    );
    process.exit(helpOrVersion ? exitCodes.ok : exitCodes.usage);
  }
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(exitCodes.usage);
  }
  console.error(error instanceof Error ? `error: ${error.message}` : `error: ${String(error)}`);
  process.exit(exitCodes.failed);
}
