import { TestWorkflowEnvironment } from '@temporalio/testing';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/dev/processes.js';
import { startTemporalDevServer } from '../../src/dev/temporal-dev-server.js';

/** The Temporal CLI installed by scripts/setup.sh; nothing is downloaded at test time. */
export const temporalCli = fileURLToPath(new URL('../../.tools/bin/temporal', import.meta.url));

/** A test environment on a dev server; `uiUrl` is set when the Web UI was asked for. */
export type TemporalForTests = TestWorkflowEnvironment & { readonly uiUrl: string | undefined };

/**
 * A real Temporal dev server for one test file, with the product's search attributes registered.
 * Started by the product's own launcher, which waits as long as a busy machine needs (the SDK's
 * ephemeral server gives up after five seconds when both cores are taken by other test files).
 * With `ui`, the Web UI runs too, on a free port.
 */
export async function startTemporal(options: { ui?: boolean } = {}): Promise<TemporalForTests> {
  const server = await startTemporalDevServer(options.ui ? { uiPort: await freePort() } : {});
  const env = await TestWorkflowEnvironment.createFromExistingServer({ address: server.address });
  const teardown = env.teardown.bind(env);
  env.teardown = async () => {
    await teardown();
    await server.stop();
  };
  return Object.assign(env, { uiUrl: server.uiUrl });
}

/** The workflow bundle built once by the global set-up. */
export function workflowBundle(): { codePath: string } {
  const codePath = process.env.PROVISIONER_TEST_WORKFLOW_BUNDLE;
  if (!codePath) throw new Error('the global set-up did not build the workflow bundle');
  return { codePath };
}
