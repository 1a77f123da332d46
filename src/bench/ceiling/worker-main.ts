/**
 * The bare-engine worker, a process of its own like the product's worker and with the same settings
 * (workerTuning): `node dist/bench/ceiling/worker-main.js <address> <taskQueue> <url> <maxConcurrency>`.
 */
import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { workerTuning } from '../../workers/worker-tuning.js';
import { createCeilingActivities } from './activities.js';

async function main(): Promise<void> {
  const [address, taskQueue, url, maxConcurrency] = process.argv.slice(2);
  if (!address || !taskQueue || !url || !maxConcurrency)
    throw new Error('usage: worker-main <address> <taskQueue> <url> <maxConcurrency>');

  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath: fileURLToPath(new URL('./workflow.js', import.meta.url)),
    activities: createCeilingActivities(url),
    ...workerTuning({ maxConcurrency: Number(maxConcurrency) }),
  });
  process.once('SIGTERM', () => worker.shutdown());
  process.once('SIGINT', () => worker.shutdown());
  process.stdout.write('ready\n');
  await worker.run();
  await connection.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
