#!/usr/bin/env node
import { Command } from 'commander';
import { ConfigError, loadConfig } from '../config/load.js';
import { generateSampleDirectory } from '../dev/sample-directory.js';
import { runEmulatorCli } from '../emulator/index.js';
import { TemporalUnreachableError } from '../temporal/connect.js';
import { runReconcileCommand, runWorkerCommand } from './commands.js';

const program = new Command('provisioner')
  .description('Keeps ServiceNow users in step with a directory, on Temporal.')
  .option(
    '-c, --config <file>',
    'configuration file (or PROVISIONER_CONFIG)',
    process.env.PROVISIONER_CONFIG ?? 'provisioner.yaml',
  )
  .showHelpAfterError();

const config = () => loadConfig(program.opts<{ config: string }>().config);

program
  .command('worker')
  .description('run the worker that executes the reconciler and every user workflow')
  .option('--no-schedule', 'do not create or update the periodic reconcile schedule')
  .action((options: { schedule: boolean }) => runWorkerCommand(config(), options));

program
  .command('reconcile')
  .description('start one reconcile, wait for it, and print what it did')
  .option('--no-wait', 'return as soon as the reconcile has started')
  .option('--json', 'print the summary as JSON')
  .action((options: { wait: boolean; json: boolean }) => runReconcileCommand(config(), options));

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

/** A person's mistake gets a message and exit code 2; an unreachable dependency a message and 1. */
function exitOnError(error: unknown): never {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  if (error instanceof TemporalUnreachableError) {
    console.error(`error: ${error.message}`);
    process.exit(1);
  }
  console.error(error instanceof Error ? `error: ${error.message}` : error);
  process.exit(1);
}

program.parseAsync(process.argv).catch(exitOnError);
