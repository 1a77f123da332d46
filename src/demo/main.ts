import { randomBytes } from 'node:crypto';
import { Command, InvalidArgumentError } from 'commander';
import { exitCodes } from '../cli/exit-codes.js';
import { loadConfig } from '../config/load.js';
import { generateSampleDirectory, type SamplePerson } from '../dev/sample-directory.js';
import { startSlapd } from '../dev/slapd.js';
import { startTemporalDevServer } from '../dev/temporal-dev-server.js';
import { startEmulator } from '../emulator/index.js';
import { formatSummary } from '../cli/summary.js';
import { createLogger } from '../log.js';
import { ensureReconcileSchedule } from '../temporal/schedule.js';
import { installRuntimeLogger } from '../workers/runtime-logger.js';
import { createProvisioningWorker } from '../workers/worker.js';
import type { reconcileWorkflow } from '../workflows/reconcile.js';
import { assertPortsFree } from './ports.js';
import { preexistingAccounts } from './preexisting-accounts.js';
import { changeTheDirectory } from './second-act.js';
import { writeDemoConfig } from './workspace.js';

/** A whole number in [min, max], or the command line is refused before anything starts. */
const wholeNumber =
  (min: number, max: number) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    }
    return n;
  };

const options = new Command('demo')
  .description('Runs the product on a sample directory, the ServiceNow emulator and a Temporal dev server.')
  .option('--people <n>', 'people in the sample directory', wholeNumber(50, 100_000), 300)
  .option('--once', 'stop after the two reconciles instead of staying up')
  .option(
    '--base-port <n>',
    'use four ports from n up (Temporal, its UI, OpenLDAP, ServiceNow) instead of 7233, 8233, 3890 and 8090',
    wholeNumber(1024, 65_532),
  )
  .showHelpAfterError()
  // A wrong command line is a usage error, like the CLI's: exit 2, nothing started.
  .exitOverride((error) => process.exit(error.exitCode === 0 ? exitCodes.ok : exitCodes.usage))
  .parse()
  .opts<{ people: number; once?: boolean; basePort?: number }>();

const ports =
  options.basePort === undefined
    ? { temporal: 7233, temporalUi: 8233, ldap: 3890, servicenow: 8090 }
    : {
        temporal: options.basePort,
        temporalUi: options.basePort + 1,
        ldap: options.basePort + 2,
        servicenow: options.basePort + 3,
      };
const say = (text = ''): void => console.log(text);

async function main(): Promise<void> {
  await assertPortsFree(Object.values(ports));
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };

  try {
    say('Starting the Temporal dev server, OpenLDAP and the ServiceNow emulator...');
    const temporal = await startTemporalDevServer({ port: ports.temporal, uiPort: ports.temporalUi });
    stops.push(() => temporal.stop());

    const sample = generateSampleDirectory({
      suffix: 'dc=example,dc=com',
      people: options.people,
      seed: 2026,
    });
    const slapd = await startSlapd({ port: ports.ldap, ldif: sample.ldif });
    stops.push(() => slapd.stop());

    const scopeGroups = [sample.groupDns.scope, ...sample.groupDns.nested];
    const inScope = (p: SamplePerson): boolean => p.groups.some((g) => scopeGroups.includes(g));
    const integration = { userName: 'svc.provisioning', password: randomBytes(12).toString('hex') };
    const emulator = await startEmulator({
      port: ports.servicenow,
      accounts: [integration, { userName: 'admin', password: 'admin' }],
      records: preexistingAccounts(sample.people, inScope),
    });
    stops.push(() => emulator.close());

    const configPath = writeDemoConfig({
      temporalAddress: temporal.address,
      ldapUrl: slapd.url,
      readerDn: slapd.readerDn,
      readerPassword: slapd.readerPassword,
      baseDn: slapd.peopleDn,
      scopeGroup: sample.groupDns.scope,
      serviceNowUrl: emulator.url,
      serviceNowUser: integration.userName,
      serviceNowPassword: integration.password,
    });
    const config = loadConfig(configPath);

    const log = createLogger({ level: 'info', name: 'worker' });
    installRuntimeLogger(log);
    const worker = await createProvisioningWorker(config, { log });
    const running = worker.run();
    stops.push(async () => {
      worker.shutdown();
      await running;
    });
    await ensureReconcileSchedule(worker.client, config);

    const reconcile = () =>
      worker.client.workflow.execute<typeof reconcileWorkflow>('reconcileWorkflow', {
        workflowId: `reconcile-demo-${Date.now()}`,
        taskQueue: config.temporal.taskQueue,
        args: [{}],
      });

    say(
      `\nFirst reconcile: ${sample.people.length} people in the directory, ${emulator.records().length} accounts in ServiceNow.`,
    );
    say(formatSummary(await reconcile()));

    say(
      '\nChanging the directory: a new title, two leavers locked, two people out of the group, one deleted, two hires...',
    );
    const changed = await changeTheDirectory(slapd, sample, inScope);
    for (const line of changed) say(`  ${line}`);
    say('\nSecond reconcile:');
    say(formatSummary(await reconcile()));

    if (options.once) return;

    printEndpoints({
      temporalUi: temporal.uiUrl ?? '',
      temporal: temporal.address,
      ldap: slapd.url,
      readerDn: slapd.readerDn,
      servicenow: emulator.url,
      configPath,
    });

    say('\nEverything stays up until you press Ctrl-C.');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    say('\nStopping...');
  } finally {
    await stopAll();
  }
}

function printEndpoints(e: {
  temporalUi: string;
  temporal: string;
  ldap: string;
  readerDn: string;
  servicenow: string;
  configPath: string;
}): void {
  const query = encodeURIComponent('ProvisioningState="disabled"');
  say(`
Endpoints
  Temporal Web UI     ${e.temporalUi}/namespaces/default/workflows
    disabled users    ${e.temporalUi}/namespaces/default/workflows?query=${query}
  Temporal frontend   ${e.temporal}
  OpenLDAP            ${e.ldap}  (read-only bind: ${e.readerDn}, password in .data/demo/secrets/ldap-password)
  ServiceNow emulator ${e.servicenow}/api/now/table/sys_user  (admin / admin)
  Configuration       ${e.configPath}

Try
  .tools/bin/temporal workflow list --query 'ProvisioningState="active"'${addressFlag(e.temporal)}
  node dist/cli/main.js -c ${e.configPath} reconcile
  curl -s -u admin:admin '${e.servicenow}/api/now/table/sys_user?sysparm_limit=3&active=false'`);
}

/** The Temporal CLI's --address option, when the demo's server is not on the CLI's default address. */
function addressFlag(address: string): string {
  return address === '127.0.0.1:7233' ? '' : ` --address ${address}`;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `demo failed: ${error.message}` : error);
  process.exit(1);
});
