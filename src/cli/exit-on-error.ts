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
  console.error(`error: ${describeFailure(error)}`);
  process.exit(exitCodes.failed);
}

/**
 * The message with its causes, outermost first: a failed reconcile says "Workflow execution failed"
 * and only its causes say why (the activity, then the failure's stable type and message).
 */
export function describeFailure(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current !== undefined && depth < 5; depth++) {
    // Anything but an Error or a string is left out: an object could hold what it was given, a secret too.
    if (!(current instanceof Error)) {
      if (typeof current === 'string') parts.push(current);
      break;
    }
    const type = (current as { type?: unknown }).type;
    parts.push(typeof type === 'string' && type !== '' ? `${type}: ${current.message}` : current.message);
    current = current.cause;
  }
  // Our errors often carry their cause's message already ("cannot reach Temporal at …: <cause>"):
  // a cause said by an outer message is not said again.
  return parts
    .filter((part, i) => part !== '' && !parts.slice(0, i).some((outer) => outer.includes(part)))
    .join(': ');
}
