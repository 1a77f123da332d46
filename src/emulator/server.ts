import Fastify from 'fastify';
import type { FastifyError, FastifyInstance } from 'fastify';
import { registerAdminRoutes } from './admin-routes.js';
import { registerApiGuard } from './api-guard.js';
import type { EmulatorState } from './emulator-state.js';
import { createEmulatorState } from './emulator-state.js';
import { errors, sendError } from './error-envelope.js';
import { registerOAuthRoutes } from './oauth-routes.js';
import { renderRow } from './record-output.js';
import { registerTableRoutes } from './table-routes.js';
import { tableSpec, UnknownTableError } from './tables.js';
import type { EmulatorOptions, RunningEmulator } from './types.js';

/** Starts an emulator of the ServiceNow Table API and resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const state = createEmulatorState(options);
  const app = await buildApp(state);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });

  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 0);
  return {
    url: `http://${urlHost(host)}:${port}`,
    port,
    requestLog: () => state.requestLog.list(),
    clearRequestLog: () => state.requestLog.clear(),
    records: (table = 'sys_user') => currentRecords(state, table),
    setFaults: (faults) => void state.faults.update(faults),
    close: () => app.close(),
  };
}

async function buildApp(state: EmulatorState): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  // Handlers first: routes keep the error handler in force when they are registered.
  app.setNotFoundHandler((_request, reply) => sendError(reply, errors.noResource()));
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      // A bug of the emulator, not an injected fault: say so where the person running it looks.
      process.stderr.write(`emulator: internal error ${error.name}: ${error.message}\n`);
      return sendError(reply, errors.internal());
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendError(reply, [415, errors.badRequestBody('Unsupported media type')[1]]);
    }
    return sendError(reply, [status, errors.badRequestBody('The payload is not valid JSON.')[1]]);
  });

  registerApiGuard(app, state);
  registerTableRoutes(app, state);
  registerAdminRoutes(app, state);
  await registerOAuthRoutes(app, state);

  return app;
}

function currentRecords(state: EmulatorState, tableName: string): Array<Record<string, string>> {
  const table = tableSpec(tableName);
  if (table === undefined) throw new UnknownTableError(tableName);

  const options = {
    fields: undefined,
    displayValue: 'false' as const,
    excludeReferenceLink: true,
    baseUrl: '',
  };
  const lookup = (name: string, sysId: string) => state.database.get(name, sysId);
  return state.database
    .list(table)
    .map((row) => renderRow(table, row, options, lookup) as Record<string, string>);
}

// A wildcard address is reachable through the loopback interface; an IPv6 literal needs brackets.
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
