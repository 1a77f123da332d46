#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadConfig } from '../config/load.js';
import { generateSampleDirectory } from '../dev/sample-directory.js';
import { runEmulatorCli } from '../emulator/index.js';
import { checkDependencies } from '../startup/check-dependencies.js';
import { runCheckCommand } from './check-command.js';
import { runCodecServerCommand, type CodecServerCommandOptions } from './codec-server-command.js';
import type { ExitCode } from './exit-codes.js';
import { exitOnError } from './exit-on-error.js';
import { processOutput } from './output.js';
import { productVersion } from './version.js';
import { runPlanCommand } from './plan-command.js';
import { runReconcileCommand } from './reconcile-command.js';
import { runScheduleCommand, type ScheduleAction } from './schedule-commands.js';
import { runSetupTemporalCommand } from './setup-temporal-command.js';
import { runDisableCommand, runReleaseCommand, runStatusCommand } from './user-commands.js';
import { runWorkerCommand } from './worker-command.js';

const program = new Command('provisioner')
  .description('Keeps ServiceNow users in step with a directory, on Temporal.')
  .version(productVersion(), '-V, --version', 'print the version and exit')
  .option(
    '-c, --config <file>',
    'configuration file (or PROVISIONER_CONFIG)',
    process.env.PROVISIONER_CONFIG ?? 'provisioner.yaml',
  )
  .showHelpAfterError()
  .exitOverride();

const configPath = () => program.opts<{ config: string }>().config;
/** The whole configuration, secrets loaded: for commands that read the directory or ServiceNow. */
const config = () => loadConfig(configPath());
/** The whole configuration, once the directory, ServiceNow and Temporal have answered: for commands that need all three. */
const checkedConfig = async () => {
  const loaded = config();
  await checkDependencies(loaded);
  return loaded;
};
const stdout = processOutput(process.stdout);
const exitWith = (code: ExitCode): void => void (process.exitCode = code);
const seconds = (value: string): number => Number.parseFloat(value) * 1000;
/** A text an operator must give: a disable without a reason tells nobody later why it was made. */
const nonEmpty = (value: string): string => {
  if (value.trim() === '') throw new InvalidArgumentError('it must not be empty.');
  return value.trim();
};
const waitOption = () =>
  new Option('--wait <seconds>', 'how long to wait for the workflow to apply it')
    .default(30_000, '30')
    .argParser(seconds);

program
  .command('worker')
  .description('run the worker that executes the reconciler and every user workflow')
  .option('--no-schedule', 'do not create or update the periodic reconcile schedule')
  .action(async (options: { schedule: boolean }) => runWorkerCommand(await checkedConfig(), options));

program
  .command('reconcile')
  .description('start one reconcile, show its progress, and print what it did')
  .option('--no-wait', 'return as soon as the reconcile has started')
  .option('--json', 'print the summary as JSON', false)
  .action(async (options: { wait: boolean; json: boolean }) => {
    const outputs = { out: stdout, progress: processOutput(process.stderr), terminal: process.stderr };
    exitWith(await runReconcileCommand(await checkedConfig(), options, outputs));
  });

program
  .command('plan')
  .description('dry run: what the next reconcile would do for each user, and why; writes nothing')
  .option('--json', 'print the plan as JSON (every user)', false)
  .option('--all', 'list the users that need nothing too', false)
  .addHelpText(
    'after',
    '\nExit code: 0 nothing pending, 3 changes pending, 1 a read failed, 2 bad configuration.',
  )
  .action(async (options: { json: boolean; all: boolean }) =>
    exitWith(await runPlanCommand(config(), options, stdout)),
  );

program
  .command('check')
  .description('test the directory, ServiceNow and Temporal: one pass or fail line per check')
  .option('--json', 'print the results as JSON', false)
  .action(async (options: { json: boolean }) => exitWith(await runCheckCommand(config(), options, stdout)));

program
  .command('status')
  .description("show one user's state, found by user name (or workflow id user-…)")
  .argument('<user>', 'user name as the directory spells it, or the workflow id')
  .option('--json', 'print the state as JSON', false)
  .action(async (user: string, options: { json: boolean }) =>
    exitWith(await runStatusCommand(config(), user, options, stdout)),
  );

program
  .command('disable')
  .description('disable one user now and keep the account disabled until released')
  .argument('<user>', 'user name as the directory spells it, or the workflow id')
  .addOption(
    new Option('--reason <text>', 'why; shown in the user state and the Web UI')
      .makeOptionMandatory()
      .argParser(nonEmpty),
  )
  .option('--by <name>', 'who asks (default: your login)')
  .option('--json', 'print the resulting state as JSON', false)
  .addOption(waitOption())
  .action(async (user: string, options: { reason: string; by?: string; json: boolean; wait: number }) =>
    exitWith(await runDisableCommand(config(), user, { ...options, waitMs: options.wait }, stdout)),
  );

program
  .command('release')
  .description('end a manual disable: the directory decides again')
  .argument('<user>', 'user name as the directory spells it, or the workflow id')
  .option('--by <name>', 'who asks (default: your login)')
  .option('--json', 'print the resulting state as JSON', false)
  .addOption(waitOption())
  .action(async (user: string, options: { by?: string; json: boolean; wait: number }) =>
    exitWith(await runReleaseCommand(config(), user, { ...options, waitMs: options.wait }, stdout)),
  );

program
  .command('schedule')
  .description(
    'the periodic reconcile: show, apply (create or update from the configuration), pause, resume, trigger',
  )
  .addArgument(
    new Command()
      .createArgument('<action>', 'what to do')
      .choices(['show', 'apply', 'pause', 'resume', 'trigger']),
  )
  .option('--note <text>', 'why it is paused or resumed; shown in the Web UI')
  .option('--json', 'print `show` as JSON', false)
  .action(async (action: ScheduleAction, options: { note?: string; json: boolean }) =>
    exitWith(await runScheduleCommand(config(), action, options, stdout)),
  );

program
  .command('setup-temporal')
  .description("register the product's search attributes on the configured namespace (idempotent)")
  .action(async () => exitWith(await runSetupTemporalCommand(config(), stdout)));

program
  .command('codec-server')
  .description('serve the payload codec to the Temporal Web UI and CLI, so they show encrypted payloads')
  .option('--host <address>', 'interface to listen on', '127.0.0.1')
  .option('--port <n>', 'port to listen on', (v) => Number.parseInt(v, 10), 8888)
  .option('--origin <url...>', 'Web UI origins allowed to call it', [
    'http://127.0.0.1:8233',
    'http://localhost:8233',
  ])
  .action((options: CodecServerCommandOptions) => runCodecServerCommand(configPath(), options));

program
  .command('sim')
  .description('run the ServiceNow emulator (see `provisioner sim --help`)')
  .allowUnknownOption()
  .helpOption(false)
  .argument('[options...]')
  .action((args: string[]) => runEmulatorCli(['node', 'provisioner sim', ...args]));

program
  .command('sample-directory')
  .description('print the LDIF of a generated sample directory (the one the demo uses)')
  .option('--people <n>', 'number of people', (v) => Number.parseInt(v, 10), 300)
  .option('--suffix <dn>', 'naming context', 'dc=example,dc=com')
  .option(
    '--seed <n>',
    'random seed: the same seed gives the same directory',
    (v) => Number.parseInt(v, 10),
    2026,
  )
  .action((options: { people: number; suffix: string; seed: number }) => {
    process.stdout.write(generateSampleDirectory(options).ldif);
  });

program.parseAsync(process.argv).catch(exitOnError);
