import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DuplicateValueError } from './database.js';
import type { EmulatorState } from './emulator-state.js';
import { errors, sendError } from './error-envelope.js';
import { failAfterCommit } from './fault-answers.js';
import type { Row } from './field-path.js';
import { linkHeader } from './paging.js';
import { firstSelectedRows, selectRows, sysIdKeysetStart } from './query-evaluation.js';
import { flattenQuery, listRequest, outputOptions, type ListRequest } from './query-params.js';
import { renderRow } from './record-output.js';
import { requestContext } from './request-context.js';
import type { TableSpec } from './tables.js';
import { tableSpec } from './tables.js';

type TableRequest = FastifyRequest<{ Params: { table: string; sysId?: string } }>;

/** The Table API paths: unversioned, v1 and v2 answer the same. */
export const tableApiPrefixes = ['/api/now/table', '/api/now/v1/table', '/api/now/v2/table'];

/** Registers list, read, create, update and delete of the emulated tables. */
export function registerTableRoutes(app: FastifyInstance, state: EmulatorState): void {
  const routes = new TableRoutes(state);
  for (const prefix of tableApiPrefixes) {
    app.get(`${prefix}/:table`, (request: TableRequest, reply) => routes.list(request, reply));
    app.post(`${prefix}/:table`, (request: TableRequest, reply) => routes.create(request, reply));
    app.get(`${prefix}/:table/:sysId`, (request: TableRequest, reply) => routes.read(request, reply));
    app.put(`${prefix}/:table/:sysId`, (request: TableRequest, reply) => routes.update(request, reply));
    app.patch(`${prefix}/:table/:sysId`, (request: TableRequest, reply) => routes.update(request, reply));
    app.delete(`${prefix}/:table/:sysId`, (request: TableRequest, reply) => routes.remove(request, reply));
  }
}

class TableRoutes {
  private readonly lookup = (table: string, sysId: string): Row | undefined =>
    this.state.database.get(table, sysId);

  constructor(private readonly state: EmulatorState) {}

  list(request: TableRequest, reply: FastifyReply): FastifyReply {
    const table = this.table(request, reply);
    if (table === undefined) return reply;

    const query = flattenQuery(request.query);
    const wanted = listRequest(query);
    const rows = this.select(table, wanted);
    const page = rows.slice(wanted.offset, wanted.offset + wanted.limit);
    const total = wanted.noCount ? undefined : rows.length;

    if (total !== undefined) reply.header('X-Total-Count', String(total));
    const position = { offset: wanted.offset, limit: wanted.limit, returned: page.length, total };
    reply.header('Link', linkHeader(new URL(request.url, baseUrl(request)), position));
    return reply.send({ result: page.map((row) => this.render(request, table, row)) });
  }

  /**
   * The rows of a list request, in order; at least its page. A keyset page in sys_id order that
   * needs no count walks the sys_id order from its lower bound and stops when the page is full; a
   * query naming a unique value reads that one row; every other request filters and sorts the table.
   */
  private select(table: TableSpec, wanted: ListRequest): Row[] {
    const needed = wanted.offset + wanted.limit;
    const { database } = this.state;
    const indexed = database.indexedCandidates(table, wanted.query);
    const keyset = indexed === undefined && wanted.noCount ? sysIdKeysetStart(wanted.query) : undefined;
    if (keyset !== undefined) {
      return firstSelectedRows(table, database.rowsBySysId(table, keyset), wanted.query, this.lookup, needed);
    }
    return selectRows(table, indexed ?? database.list(table), wanted.query, this.lookup, needed);
  }

  read(request: TableRequest, reply: FastifyReply): FastifyReply {
    const table = this.table(request, reply);
    if (table === undefined) return reply;

    const row = this.state.database.get(table.name, request.params.sysId ?? '');
    if (row === undefined) return sendError(reply, errors.noRecord());
    return reply.send({ result: this.render(request, table, row) });
  }

  create(request: TableRequest, reply: FastifyReply): FastifyReply {
    const table = this.table(request, reply);
    if (table === undefined) return reply;

    const input = bodyObject(request);
    if (input === undefined)
      return sendError(reply, errors.badRequestBody('The payload is not a JSON object.'));

    const row = this.write(reply, () => this.state.database.insert(table, input, this.actor(request)));
    if (row === undefined || failAfterCommit(this.state, request, reply)) return reply;

    reply.header('Location', `${baseUrl(request)}/api/now/table/${table.name}/${row.sys_id}`);
    return reply.code(201).send({ result: this.render(request, table, row) });
  }

  update(request: TableRequest, reply: FastifyReply): FastifyReply {
    const table = this.table(request, reply);
    if (table === undefined) return reply;

    const input = bodyObject(request);
    if (input === undefined)
      return sendError(reply, errors.badRequestBody('The payload is not a JSON object.'));

    const sysId = request.params.sysId ?? '';
    const current = this.state.database.get(table.name, sysId);
    if (current === undefined) return sendError(reply, errors.noRecord());
    if (table.name === 'sys_user' && this.state.writeProtected.has((current.user_name ?? '').toLowerCase()))
      return sendError(reply, errors.updateDenied());

    const row = this.write(reply, () => this.state.database.update(table, sysId, input, this.actor(request)));
    if (row === undefined || failAfterCommit(this.state, request, reply)) return reply;
    return reply.send({ result: this.render(request, table, row) });
  }

  remove(request: TableRequest, reply: FastifyReply): FastifyReply {
    const table = this.table(request, reply);
    if (table === undefined) return reply;

    if (!this.state.database.delete(table, request.params.sysId ?? ''))
      return sendError(reply, errors.noRecord());
    return reply.code(204).send();
  }

  private table(request: TableRequest, reply: FastifyReply): TableSpec | undefined {
    const spec = tableSpec(request.params.table);
    if (spec === undefined) sendError(reply, errors.invalidTable(request.params.table));
    return spec;
  }

  // A refused write answers 403 and gives undefined; anything else is the emulator's own fault and propagates.
  private write(reply: FastifyReply, apply: () => Row | undefined): Row | undefined {
    try {
      return apply();
    } catch (error) {
      if (!(error instanceof DuplicateValueError)) throw error;
      sendError(reply, errors.operationFailed(error.message));
      return undefined;
    }
  }

  private actor(request: FastifyRequest): { actor: string } {
    return { actor: requestContext(request).user ?? 'guest' };
  }

  private render(request: TableRequest, table: TableSpec, row: Row): Record<string, unknown> {
    const options = outputOptions(flattenQuery(request.query), baseUrl(request));
    return renderRow(table, row, options, this.lookup);
  }
}

/** Scheme, host and port the client called, for links that lead back to this emulator. */
export function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

function bodyObject(request: FastifyRequest): Record<string, unknown> | undefined {
  const body: unknown = request.body ?? {};
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : undefined;
}
