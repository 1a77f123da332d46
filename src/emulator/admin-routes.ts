import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EmulatorState } from './emulator-state.js';

/**
 * The emulator's own endpoints for tests and people trying it, outside the Table API namespace:
 * health (no credentials), the request log, and a reset of the records to the seed.
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

  app.post('/emulator/reset', (_request, reply) => {
    state.reset();
    return reply.code(204).send();
  });
}
