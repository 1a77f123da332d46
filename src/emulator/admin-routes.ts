import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EmulatorState } from './emulator-state.js';
import { errors, sendError } from './error-envelope.js';
import { InvalidFaultSettingsError } from './fault-settings.js';
import type { FaultSettings } from './types.js';

/**
 * The emulator's own endpoints for tests and people trying it, outside the Table API namespace:
 * health (no credentials), the request log, the fault settings, and a reset of the records to the
 * seed (the request log, faults and OAuth tokens stay as they are).
 */
export function registerAdminRoutes(app: FastifyInstance, state: EmulatorState): void {
  app.get('/emulator/health', () => ({ status: 'ok' }));

  app.get('/emulator/requests', (request: FastifyRequest<{ Querystring: { since?: string } }>) => {
    const since = Number(request.query.since);
    return { result: state.requestLog.list(Number.isFinite(since) ? since : undefined) };
  });

  app.delete('/emulator/requests', (_request, reply) => {
    state.requestLog.clear();
    return reply.code(204).send();
  });

  app.get('/emulator/faults', () => ({ result: state.faults.current() }));

  app.put('/emulator/faults', (request, reply) => {
    try {
      return reply.send({ result: state.faults.update(request.body as Partial<FaultSettings>) });
    } catch (error) {
      if (!(error instanceof InvalidFaultSettingsError)) throw error;
      return sendError(reply, errors.badRequestBody(error.message));
    }
  });

  app.post('/emulator/reset', (_request, reply) => {
    state.reset();
    return reply.code(204).send();
  });
}
