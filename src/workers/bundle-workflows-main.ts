/**
 * Bundles the workflow code into one file: `node bundle-workflows-main.js <workflowsPath> <outFile>`.
 * The worker runs it as a child process so that webpack's memory is returned to the system when
 * the bundle is written, instead of staying in the worker's heap for as long as it runs.
 */
import { writeFile } from 'node:fs/promises';
import { bundleWorkflowCode } from '@temporalio/worker';

async function main(): Promise<void> {
  const [workflowsPath, outFile] = process.argv.slice(2);
  if (!workflowsPath || !outFile) throw new Error('usage: bundle-workflows-main <workflowsPath> <outFile>');
  const quiet = () => undefined;
  const logger = {
    trace: quiet,
    debug: quiet,
    info: quiet,
    log: quiet,
    warn: console.warn,
    error: console.error,
  };
  const { code } = await bundleWorkflowCode({ workflowsPath, logger });
  await writeFile(outFile, code);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
