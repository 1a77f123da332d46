import type { FastifyReply } from 'fastify';

/** The body the Table API answers errors with. */
export interface ErrorEnvelope {
  error: { message: string; detail: string | null };
  status: 'failure';
}

/** ServiceNow's error answers, with the status codes and wording a real instance uses. */
export const errors = {
  notAuthenticated: (): [number, ErrorEnvelope] => [
    401,
    envelope('User Not Authenticated', 'Required to provide Auth information'),
  ],
  noRecord: (): [number, ErrorEnvelope] => [
    404,
    envelope('No Record found', "Record doesn't exist or ACL restricts the record retrieval"),
  ],
  invalidTable: (table: string): [number, ErrorEnvelope] => [400, envelope(`Invalid table ${table}`, null)],
  noResource: (): [number, ErrorEnvelope] => [
    400,
    envelope('Requested URI does not represent any resource', null),
  ],
  badRequestBody: (detail: string): [number, ErrorEnvelope] => [
    400,
    envelope('Exception while reading request', detail),
  ],
  operationFailed: (detail: string): [number, ErrorEnvelope] => [403, envelope('Operation Failed', detail)],
  updateDenied: (): [number, ErrorEnvelope] => [
    403,
    envelope('Operation Failed', 'ACL Exception Update Failed due to security constraints'),
  ],
  rateLimited: (user: string): [number, ErrorEnvelope] => [
    429,
    envelope('Rate limit exceeded', `Too many requests by user ${user}; retry later`),
  ],
  internal: (): [number, ErrorEnvelope] => [
    500,
    envelope('Internal Server Error', 'The request could not be completed'),
  ],
};

/** Answers with one of `errors`. */
export function sendError(reply: FastifyReply, [status, body]: [number, ErrorEnvelope]): FastifyReply {
  return reply.code(status).type('application/json').send(body);
}

function envelope(message: string, detail: string | null): ErrorEnvelope {
  return { error: { message, detail }, status: 'failure' };
}
