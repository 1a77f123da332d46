import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Bundles the workflow code once for the whole run: every test's worker loads the same bundle, so a
 * worker starts in well under a second instead of bundling again.
 */
export default async function globalSetup(): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('../src/workflows/index.ts', import.meta.url)),
    logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
  });
  const codePath = join(mkdtempSync(join(tmpdir(), 'provisioner-bundle-')), 'workflows.js');
  writeFileSync(codePath, code);
  process.env.PROVISIONER_TEST_WORKFLOW_BUNDLE = codePath;
}
