import { startEmulator } from '../../src/emulator/index.js';
import type { EmulatorOptions, RunningEmulator } from '../../src/emulator/index.js';

/** A value as the Table API writes it: a string, or an object for references and display values. */
export type ApiValue = string | Record<string, string>;

/** A record as the Table API writes it. */
export type ApiRecord = Record<string, ApiValue>;

/** A parsed answer body: a result, an error envelope, or whatever else the emulator sent. */
export interface ApiBody {
  result?: unknown;
  error?: { message: string; detail: string | null };
  status?: string;
  [other: string]: unknown;
}

/** A Table API answer with its body parsed (undefined when there is none). */
export interface ApiResponse {
  status: number;
  headers: Headers;
  body: ApiBody | undefined;
}

/** The single record an answer holds. */
export function one(response: ApiResponse): ApiRecord {
  const result = response.body?.result;
  if (typeof result !== 'object' || result === null || Array.isArray(result)) {
    throw new Error(`Expected one record, got ${JSON.stringify(response.body)}`);
  }
  return result as ApiRecord;
}

/** A plain string field of a record; throws on a reference object or a missing field. */
export function text(record: ApiRecord, field: string): string {
  const value = record[field];
  if (typeof value !== 'string')
    throw new Error(`Expected ${field} to be a string, got ${JSON.stringify(value)}`);
  return value;
}

/** The records a list answer holds. */
export function many(response: ApiResponse): ApiRecord[] {
  const result = response.body?.result;
  if (!Array.isArray(result)) throw new Error(`Expected a list, got ${JSON.stringify(response.body)}`);
  return result as ApiRecord[];
}

/** How a test calls the emulator: credentials default to admin/admin; `auth: null` sends none. */
export interface CallOptions {
  body?: unknown;
  auth?: string | null;
  headers?: Record<string, string>;
}

const running = new Set<RunningEmulator>();

/** Starts an emulator that `stopEmulators` closes after the test. */
export async function emulatorFor(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emulator = await startEmulator(options);
  running.add(emulator);
  return emulator;
}

/** Closes every emulator started with `emulatorFor`; use in `afterEach`. */
export async function stopEmulators(): Promise<void> {
  await Promise.all([...running].map((emulator) => emulator.close()));
  running.clear();
}

/** The value of a basic Authorization header. */
export function basic(userName: string, password: string): string {
  return `Basic ${Buffer.from(`${userName}:${password}`).toString('base64')}`;
}

/** Calls the emulator over HTTP and parses the answer. */
export async function call(
  emulator: RunningEmulator,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  const auth = options.auth === undefined ? basic('admin', 'admin') : options.auth;
  if (auth !== null) headers.Authorization = auth;
  if (options.body !== undefined) headers['Content-Type'] ??= 'application/json';

  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: parse(text) as ApiBody | undefined };
}

let people = 0;

/** A new person for `sys_user`, unique within the run. */
export function newUser(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  people += 1;
  return {
    user_name: `person.${people}`,
    first_name: 'Pat',
    last_name: `Person${people}`,
    email: `person.${people}@example.com`,
    ...overrides,
  };
}

/** Creates a user over the API and gives back the record as answered, references as plain sys_ids. */
export async function createUser(
  emulator: RunningEmulator,
  overrides: Record<string, unknown> = {},
): Promise<Record<string, string>> {
  const path = '/api/now/table/sys_user?sysparm_exclude_reference_link=true';
  const response = await call(emulator, 'POST', path, { body: newUser(overrides) });
  if (response.status !== 201) throw new Error(`Creating a user answered ${response.status}`);
  return one(response) as Record<string, string>;
}

/** The user names a list answer holds, in order. */
export function userNames(response: ApiResponse): string[] {
  return many(response).map((user) => text(user, 'user_name'));
}

function parse(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
