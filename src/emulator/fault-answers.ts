import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorState } from './emulator-state.js';
import { errors, sendError } from './error-envelope.js';
import { requestContext } from './request-context.js';

// A 503 comes from the load balancer in front of an instance, as an HTML page, not the JSON envelope.
const unavailablePage =
  '<html><head><title>Service Unavailable</title></head>' +
  '<body><h1>Service Unavailable</h1><p>The instance is temporarily unable to answer.</p></body></html>';

/**
 * Applies the faults that act before a Table API request is handled: latency, the user's rate
 * limit, and a random 500 or 503. Gives true when a fault has answered the request.
 */
export async function answerWithFault(
  state: EmulatorState,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<boolean> {
  const context = requestContext(request);
  const latency = state.faults.latencyMs();
  if (latency > 0) await delay(latency);

  const rate = state.faults.rateLimit(context.user ?? '');
  if (rate !== undefined) reply.headers(rate.headers);
  if (rate?.limited === true) {
    context.fault = 'rateLimit';
    sendError(reply, errors.rateLimited(context.user ?? ''));
    return true;
  }

  const failure = state.faults.failure();
  if (failure === undefined) return false;

  context.fault = failure;
  if (failure === 'error500') sendError(reply, errors.internal());
  else reply.code(503).type('text/html').send(unavailablePage);
  return true;
}

/** After a write was applied: answers 500 instead when the commit-then-500 fault picks it. */
export function failAfterCommit(state: EmulatorState, request: FastifyRequest, reply: FastifyReply): boolean {
  if (!state.faults.commitThen500(request.method)) return false;

  requestContext(request).fault = 'commitThen500';
  sendError(reply, errors.internal());
  return true;
}
