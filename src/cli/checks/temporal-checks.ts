import { Connection } from '@temporalio/client';
import type { Config } from '../../config/load.js';
import { indexedType } from '../../temporal/search-attributes.js';
import { allSearchAttributes } from '../../workflows/definitions.js';
import { CheckList, type CheckResult } from './check-result.js';

/** Temporal, step by step: the connection, the namespace, and the product's search attributes on it. */
export async function checkTemporal(
  config: Config,
  options: { connectTimeoutMs?: number } = {},
): Promise<CheckResult[]> {
  const { address, namespace } = config.temporal;
  const checks = new CheckList('temporal');
  let connection: Connection | undefined;

  await checks.run('connection', async () => {
    try {
      connection = await Connection.connect({ address, connectTimeout: options.connectTimeoutMs ?? 5000 });
    } catch (error) {
      throw new Error(`cannot reach Temporal at ${address}: ${(error as Error).message}`, { cause: error });
    }
    return `connected to ${address}`;
  });
  try {
    await checks.run('namespace', async () => {
      await connection!.workflowService.describeNamespace({ namespace });
      return `namespace ${namespace} exists`;
    });
    await checks.run('search attributes', async () => {
      const { customAttributes } = await connection!.operatorService.listSearchAttributes({ namespace });
      const wrong = allSearchAttributes.filter(
        (key) => customAttributes?.[key.name] !== indexedType[key.type],
      );
      if (wrong.length > 0) {
        const names = wrong.map((key) => key.name).join(', ');
        throw new Error(`missing or of another type: ${names}; run \`provisioner setup-temporal\``);
      }
      return `${allSearchAttributes.length} search attributes registered`;
    });
  } finally {
    await connection?.close();
  }
  return checks.results;
}
