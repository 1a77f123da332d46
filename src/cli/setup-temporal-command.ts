import { allSearchAttributes } from '../workflows/definitions.js';
import { ensureSearchAttributes } from '../temporal/search-attributes.js';
import { exitCodes, type ExitCode } from './exit-codes.js';
import { writeLines, type Output } from './output.js';
import type { Config } from '../config/load.js';
import { withTemporal } from './temporal-client.js';

/**
 * `provisioner setup-temporal`: registers the product's search attributes on the configured
 * namespace of any Temporal server (the dev server registers them at start, the worker at its own
 * start). Idempotent: run it again and it says they are there.
 */
export function runSetupTemporalCommand(settings: Config, out: Output): Promise<ExitCode> {
  const { namespace } = settings.temporal;
  return withTemporal(settings, async (_client, connection) => {
    const added = await ensureSearchAttributes(connection, namespace);
    const all = allSearchAttributes.map((key) => key.name).join(', ');
    writeLines(
      out,
      added.length === 0
        ? `namespace ${namespace}: every search attribute is registered (${all})`
        : `namespace ${namespace}: registered ${added.join(', ')}`,
    );
    return exitCodes.ok;
  });
}
