import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Bundles the workflows in a child process and gives the bundle's path, or undefined when the
 * product runs from its TypeScript sources (there is no compiled bundler script to run then).
 * Bundling in the worker itself would leave about 80 MB of webpack's memory in it for good.
 */
export async function bundleWorkflowsApart(workflowsPath: string): Promise<{ codePath: string } | undefined> {
  const script = fileURLToPath(new URL('./bundle-workflows-main.js', import.meta.url));
  if (!existsSync(script)) return undefined;

  const codePath = join(await mkdtemp(join(tmpdir(), 'provisioner-workflows-')), 'workflows.js');
  await run(process.execPath, [script, workflowsPath, codePath], { maxBuffer: 16 << 20 });
  return { codePath };
}
