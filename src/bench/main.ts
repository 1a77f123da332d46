/**
 * `npm run bench`: measures each job of the product against the limit of this machine, in one run,
 * on a real slapd, file-backed Temporal dev servers and the ServiceNow emulator, each a process of
 * its own. Prints one table; `--out FILE` writes the figures as JSON; `--quick` runs every case small.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { runCases, type CaseName, caseNames } from './run-cases.js';
import { fullSizes, quickSizes, type BenchSizes } from './sizes.js';
import { resultsTable } from './table.js';
import { missingKeys, type BenchResults } from './results.js';

/**
 * The dev servers write through SQLite's write-ahead log and sync at checkpoints rather than at every
 * commit: durable across a crash of the server, not of the machine. With the default (a sync per
 * commit) the engine waits on the disk, and on a shared disk that is most of its time.
 */
const defaultPragmas = ['journal_mode=wal', 'synchronous=normal'];

interface Flags {
  quick?: boolean;
  out?: string;
  only?: string;
  set: string[];
  profile?: string;
  keep?: boolean;
  sqlitePragma: string[];
}

const flags = new Command('bench')
  .description('Measures the product against the limits of this machine and prints one table.')
  .option('--quick', 'every case at small sizes (under three minutes)')
  .option('--out <file>', 'write the figures as JSON')
  .option('--only <cases>', `comma-separated cases to run: ${caseNames.join(', ')}`)
  .option('--set <size=n>', 'change one size, e.g. --set noChange=20000 (repeatable)', collect, [])
  .option('--profile <dir>', 'write a V8 CPU profile of each product worker into this directory')
  .option(
    '--sqlite-pragma <pragma>',
    'a SQLite pragma of the dev servers instead of journal_mode=wal and synchronous=normal (repeatable)',
    collect,
    [],
  )
  .option('--keep', 'keep the servers’ data directories (printed at the end)')
  .parse()
  .opts<Flags>();

async function main(): Promise<void> {
  const sizes = withChanges(flags.quick ? quickSizes : fullSizes, flags.set);
  const only = flags.only?.split(',').map((c) => c.trim()) as CaseName[] | undefined;
  const unknown = only?.filter((c) => !caseNames.includes(c));
  if (unknown?.length)
    throw new UsageError(`unknown case ${unknown.join(', ')}; the cases are ${caseNames.join(', ')}`);

  const workDir = await mkdtemp(join(tmpdir(), 'provisioner-bench-'));
  const results: BenchResults = {
    machine: machine(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    sizes,
    startedAt: new Date().toISOString(),
    load: { start: loadavg() },
  };
  const startedAt = performance.now();
  const log = (line: string) => {
    const elapsed = ((performance.now() - startedAt) / 1000).toFixed(0).padStart(5);
    process.stderr.write(`bench: ${elapsed} s  ${line}\n`);
  };
  try {
    await runCases(results, {
      sizes,
      workDir,
      cases: only ?? caseNames,
      cpuProfileDir: flags.profile,
      sqlitePragmas: flags.sqlitePragma.length > 0 ? flags.sqlitePragma : defaultPragmas,
      log,
    });
  } finally {
    if (flags.keep) log(`data kept in ${workDir}`);
    else await rm(workDir, { recursive: true, force: true });
  }
  const finished = {
    ...results,
    finishedAt: new Date().toISOString(),
    load: { ...results.load, end: loadavg() },
  };

  console.log(resultsTable(finished));
  console.log(`load average at start ${fmtLoad(finished.load.start)}, at end ${fmtLoad(finished.load.end)}`);
  const json = `${JSON.stringify(finished, null, 2)}\n`;
  if (flags.out) await writeFile(flags.out, json);

  // A run of every case must publish every figure; one that cannot be computed is a bug of the benchmark.
  const missing = only ? [] : missingKeys(JSON.parse(json));
  if (missing.length > 0) throw new Error(`the results lack ${missing.join(', ')}`);
}

/** A mistake on the command line: printed without a stack trace, exit code 2. */
class UsageError extends Error {}

function withChanges(base: BenchSizes, changes: readonly string[]): BenchSizes {
  const sizes: Record<string, number> = { ...base };
  const keys = Object.keys(base);
  for (const change of changes) {
    const [key = '', value = ''] = change.split('=');
    if (!keys.includes(key) || !/^[1-9][0-9]*$/.test(value))
      throw new UsageError(
        `--set ${change}: expected <size>=<whole number above 0>, size one of ${keys.join(', ')}`,
      );
    sizes[key] = Number(value);
  }
  return sizes as unknown as BenchSizes;
}

function machine(): Record<string, unknown> {
  const cores = cpus();
  return {
    cpu: cores[0]?.model ?? 'unknown',
    cores: cores.length,
    memoryGB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

function fmtLoad(load: readonly number[] | undefined): string {
  return (load ?? []).map((l) => l.toFixed(2)).join(' ');
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`bench: ${error.message}`);
    process.exit(2);
  }
  console.error(error instanceof Error ? `bench failed: ${error.stack ?? error.message}` : error);
  process.exit(1);
});
