import { badResponse, type CallContext } from './classify.js';
import { ServiceNowError } from './errors.js';
import type { ServiceNowUser } from './types.js';

/** A row as the Table API sends it: every value a string, unless a field is a reference object. */
export type RawRecord = Readonly<Record<string, unknown>>;

/** Fields the client always reads, whatever the mapping says. */
export const managedFields = ['sys_id', 'user_name', 'active', 'locked_out'] as const;

/** Why a row could not be turned into a user; the caller wraps it into a ServiceNowError. */
export class RecordShapeError extends Error {
  override readonly name = 'RecordShapeError';

  constructor(
    message: string,
    /** The field that is absent from the row: asked for in sysparm_fields but unknown to the table. */
    readonly missingField?: string,
  ) {
    super(message);
  }
}

const trueWords = new Set(['true', '1', 'yes']);
const falseWords = new Set(['false', '0', 'no', '']);

/**
 * A ServiceNow boolean: `"true"`/`"false"` from the database, `"Yes"`/`"No"` or `"1"`/`"0"` as
 * display values, a JSON boolean from some proxies. An empty value is false (ServiceNow's default
 * for an unset check box). Anything else is refused rather than guessed.
 */
export function parseBoolean(value: unknown, field: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' && (value === 0 || value === 1)) return value === 1;

  const word = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  if (word !== undefined && trueWords.has(word)) return true;
  if (word !== undefined && falseWords.has(word)) return false;
  throw new RecordShapeError(`field ${field} is not a boolean (${describe(value)})`);
}

/**
 * A field value as a string: strings as they are, a reference as its sys_id, null as "". Numbers and
 * booleans (sent by nothing standard, but cheap to accept) as their text.
 */
export function fieldText(value: unknown, field: string): string {
  if (typeof value === 'string') return value;
  if (value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && typeof (value as { value?: unknown }).value === 'string') {
    return (value as { value: string }).value;
  }
  throw new RecordShapeError(`field ${field} has an unexpected value (${describe(value)})`);
}

/** Turns one row into a user, checking that every field asked for came back. */
export function toServiceNowUser(row: unknown, fields: readonly string[]): ServiceNowUser {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) {
    throw new RecordShapeError(`a row is not an object (${describe(row)})`);
  }
  const record = row as RawRecord;
  for (const field of [...managedFields, ...fields]) {
    // ServiceNow drops unknown names from sysparm_fields without a word: absence is the only sign.
    if (!(field in record)) throw new RecordShapeError(`field ${field} is missing from a row`, field);
  }

  const sysId = fieldText(record.sys_id, 'sys_id');
  if (!isSysId(sysId)) throw new RecordShapeError(`sys_id ${JSON.stringify(sysId)} is not a sys_id`);

  return {
    sysId,
    userName: fieldText(record.user_name, 'user_name'),
    active: parseBoolean(record.active, 'active'),
    lockedOut: parseBoolean(record.locked_out, 'locked_out'),
    fields: Object.fromEntries(fields.map((field) => [field, fieldText(record[field], field)])),
  };
}

/**
 * toServiceNowUser for a row of `context`'s answer, its problems as ServiceNowErrors: a field that
 * did not come back is `ServiceNowUnknownField` (misspelt in the mapping, or not readable), any
 * other shape problem `ServiceNowBadResponse`. Neither is helped by a retry.
 */
export function rowToUser(context: CallContext, row: unknown, wanted: readonly string[]): ServiceNowUser {
  try {
    return toServiceNowUser(row, wanted);
  } catch (error) {
    if (!(error instanceof RecordShapeError)) throw error;
    if (error.missingField === undefined) throw badResponse(context, error.message, false);

    throw new ServiceNowError(
      'ServiceNowUnknownField',
      `${context.operation}: ${context.method} ${context.table} returned rows without ` +
        `${error.missingField}: it is not a ${context.table} field, or this account may not read it`,
      { retryable: false },
    );
  }
}

/** A sys_id as ServiceNow makes them (32 hex digits); anything else never goes into a URL or query. */
export function isSysId(value: string): boolean {
  return /^[0-9a-f]{32}$/i.test(value);
}

/**
 * How ServiceNow compares user names in a query: without regard to case, and without the spaces
 * around the value (the database ignores trailing ones, the query parser the leading ones).
 */
export function sameUserName(a: string, b: string): boolean {
  return normaliseUserName(a) === normaliseUserName(b);
}

/** The form of a user name used for comparison; see sameUserName. */
export function normaliseUserName(value: string): string {
  return value.trim().toLowerCase();
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `"${value.length > 20 ? `${value.slice(0, 20)}…` : value}"`;
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value;
}
