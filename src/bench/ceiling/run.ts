import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pLimit from 'p-limit';
import { dispatchConcurrency } from '../../activities/dispatch.js';
import { startTemporalDevServer } from '../../dev/temporal-dev-server.js';
import { startEmulatorProcess } from '../emulator-process.js';
import { CpuShares } from '../process-stats.js';
import { hasPollers } from '../task-queue.js';
import { startWorkerProcess, workerLogFile } from '../worker-process.js';
import { ceilingGoSignal, type ceilingWorkflow } from './workflow.js';
import { compiledScript } from '../compiled.js';

/** What the bare engine did. */
export interface CeilingResult {
  readonly workflows: number;
  readonly seconds: number;
  readonly workflowsPerS: number;
  /** Share of all cores used by each process while it ran. */
  readonly cpu: Record<string, number>;
}

/**
 * The limit of the engine on this machine, now: `workflows` signal-with-starts (as many at once as
 * the product's dispatch sends), each workflow one no-op HTTP activity, on a fresh file-backed dev
 * server, with a worker process whose settings are the product's. Timed until visibility shows
 * every workflow completed, as the product's reconcile waits for its users.
 */
export async function measureCeiling(options: {
  workDir: string;
  workflows: number;
  maxConcurrency: number;
  cores: number;
  sqlitePragmas: readonly string[];
}): Promise<CeilingResult> {
  await mkdir(options.workDir, { recursive: true });
  const temporal = await startTemporalDevServer({
    dbFile: join(options.workDir, 'temporal.db'),
    sqlitePragmas: options.sqlitePragmas,
  });
  const emulator = await startEmulatorProcess({
    workDir: options.workDir,
    integration: { userName: 'ceiling', password: randomUUID() },
    records: [],
  });
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const taskQueue = `ceiling-${randomUUID()}`;
  try {
    const worker = await startWorkerProcess({
      args: [
        compiledScript('bench/ceiling/worker-main.js'),
        temporal.address,
        taskQueue,
        `${emulator.url}/emulator/health`,
        String(options.maxConcurrency),
      ],
      logFile: workerLogFile(options.workDir, 'ceiling-worker'),
      ready: () => hasPollers(client, taskQueue),
    });
    try {
      const cpu = new CpuShares(
        { worker: worker.pid, temporal: temporal.process.pid, emulator: emulator.pid, bench: process.pid },
        options.cores,
      );
      const started = performance.now();
      await signalWithStartAll(client, taskQueue, options.workflows);
      await waitForCompleted(client, taskQueue, options.workflows);
      const seconds = (performance.now() - started) / 1000;
      return {
        workflows: options.workflows,
        seconds,
        workflowsPerS: options.workflows / seconds,
        cpu: cpu.shares(),
      };
    } finally {
      await worker.stop();
    }
  } finally {
    await connection.close();
    await emulator.stop();
    await temporal.stop();
  }
}

async function signalWithStartAll(client: Client, taskQueue: string, workflows: number): Promise<void> {
  const limit = pLimit(dispatchConcurrency);
  const runId = randomUUID().slice(0, 8);
  await Promise.all(
    Array.from({ length: workflows }, (_, n) =>
      limit(() =>
        client.workflow.signalWithStart<typeof ceilingWorkflow, [{ n: number }]>('ceilingWorkflow', {
          workflowId: `ceiling-${runId}-${n}`,
          taskQueue,
          signal: ceilingGoSignal,
          signalArgs: [{ n }],
        }),
      ),
    ),
  );
}

async function waitForCompleted(client: Client, taskQueue: string, workflows: number): Promise<void> {
  const query = `WorkflowType = 'ceilingWorkflow' AND TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Completed'`;
  while ((await client.workflow.count(query)).count < workflows) {
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
