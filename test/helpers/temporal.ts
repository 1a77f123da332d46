import { TestWorkflowEnvironment } from '@temporalio/testing';
import { fileURLToPath } from 'node:url';
import { allSearchAttributes } from '../../src/workflows/definitions.js';

/** The Temporal CLI installed by scripts/setup.sh; nothing is downloaded at test time. */
export const temporalCli = fileURLToPath(new URL('../../.tools/bin/temporal', import.meta.url));

/** A real Temporal dev server for one test file, with the product's search attributes registered. */
export function startTemporal(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCli },
      ip: '127.0.0.1',
      searchAttributes: allSearchAttributes,
      log: { format: 'json', level: 'fatal' },
    },
  });
}

/** The workflow bundle built once by the global set-up. */
export function workflowBundle(): { codePath: string } {
  const codePath = process.env.PROVISIONER_TEST_WORKFLOW_BUNDLE;
  if (!codePath) throw new Error('the global set-up did not build the workflow bundle');
  return { codePath };
}
