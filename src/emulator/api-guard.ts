import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { basicAuthUser } from './basic-auth.js';
import type { EmulatorState } from './emulator-state.js';
import { errors, sendError } from './error-envelope.js';
import { answerWithFault } from './fault-answers.js';
import { flattenQuery } from './query-params.js';
import { requestContext } from './request-context.js';
import { loggableBody } from './request-log.js';
import type { RequestLogEntry } from './types.js';

/** Paths every caller reaches without credentials. */
const openPaths = new Set(['/emulator/health', '/oauth_token.do']);

/**
 * Guards the API and the admin endpoints with the emulator's accounts and OAuth tokens, lets the
 * configured faults answer Table API requests first, and writes every API
 * request to the request log once its answer is known (requests to `/emulator/*` are not logged).
 */
export function registerApiGuard(app: FastifyInstance, state: EmulatorState): void {
  app.addHook('onRequest', async (request, reply) => {
    const path = pathOf(request);
    if (openPaths.has(path) || !(isApiPath(path) || path.startsWith('/emulator/'))) return;

    const user = authenticatedUser(request.headers.authorization, state);
    if (user === undefined) {
      reply.header('WWW-Authenticate', 'BASIC realm="Service-now"');
      return sendError(reply, errors.notAuthenticated());
    }
    requestContext(request).user = user;
    if (path.startsWith('/api/') && (await answerWithFault(state, request, reply))) return reply;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (isApiPath(pathOf(request))) record(state, request, reply);
    return payload;
  });
}

// A bearer token from /oauth_token.do, while valid, or an account's user name and password.
function authenticatedUser(header: string | undefined, state: EmulatorState): string | undefined {
  const bearer = /^bearer\s+(\S+)$/i.exec(header ?? '');
  if (bearer?.[1] !== undefined) return state.tokens.bearerUser(bearer[1]);
  return basicAuthUser(header, state.accounts);
}

function record(state: EmulatorState, request: FastifyRequest, reply: FastifyReply): void {
  const context = requestContext(request);
  const params = (request.params ?? {}) as { table?: string; sysId?: string };
  const path = pathOf(request);
  const entry: Omit<RequestLogEntry, 'seq'> = {
    at: new Date().toISOString(),
    method: request.method,
    path,
    query: flattenQuery(request.query),
    status: reply.statusCode,
    ...(params.table === undefined ? {} : { table: params.table }),
    ...(params.sysId === undefined ? {} : { sysId: params.sysId }),
    ...(context.user === undefined ? {} : { user: context.user }),
    ...(context.fault === undefined ? {} : { fault: context.fault }),
  };
  const body = path.startsWith('/api/') && request.method !== 'GET' ? loggableBody(request.body) : undefined;
  if (body !== undefined) entry.body = body;

  const logged = state.requestLog.add(entry);
  if (state.logRequests) process.stdout.write(`${logLine(logged, request.url)}\n`);
}

function logLine(entry: RequestLogEntry, url: string): string {
  const fault = entry.fault === undefined ? '' : ` fault=${entry.fault}`;
  return `${entry.at} ${entry.method} ${url} ${entry.status} user=${entry.user ?? '-'}${fault}`;
}

function isApiPath(path: string): boolean {
  return path.startsWith('/api/') || path === '/oauth_token.do';
}

function pathOf(request: FastifyRequest): string {
  return request.url.split('?', 1)[0] ?? '';
}
