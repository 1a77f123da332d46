import type { Method } from 'got';
import type { Authorization } from './authorization.js';
import { badResponse, errorFromResponse, type CallContext } from './classify.js';
import { ServiceNowError } from './errors.js';
import type { HttpResponse, HttpTransport } from './http-transport.js';

/** Parameters every Table API read and write sends: raw values, reference fields as plain sys_ids. */
const commonParams = {
  sysparm_display_value: 'false',
  sysparm_exclude_reference_link: 'true',
} as const;

/** One Table API call, before authorization. */
export interface TableCall {
  readonly context: CallContext;
  readonly method: Method;
  readonly sysId?: string;
  readonly searchParams?: Readonly<Record<string, string>>;
  readonly body?: Readonly<Record<string, unknown>>;
}

/**
 * The Table API of one table: sends a call with its Authorization header, classifies any non-2xx
 * answer, and returns the `result` member of the JSON body. Under OAuth, a 401 makes it fetch a new
 * token and send the same request once more: a 401 means the instance did nothing with the request,
 * so this is re-authentication, not a retry. A 429 is the transport's to wait out (http-transport.ts);
 * every other failure is left to the caller's retry policy.
 */
export class TableApi {
  constructor(
    readonly table: string,
    private readonly transport: HttpTransport,
    private readonly authorization: Authorization,
  ) {}

  /** Sends `call` and returns `result`, or undefined for a 404 on a list (ServiceNow's v1 "no rows"). */
  async call(call: TableCall): Promise<unknown> {
    try {
      const response = await this.#sendAuthorized(call);
      return this.#result(call, response);
    } catch (error) {
      throw error instanceof ServiceNowError ? scrub(error, this.authorization.secrets()) : error;
    }
  }

  async #sendAuthorized(call: TableCall): Promise<HttpResponse> {
    const header = await this.authorization.header();
    const response = await this.#send(call, header);
    if (response.status !== 401 || !this.authorization.refused(header)) return response;

    return this.#send(call, await this.authorization.header());
  }

  #send(call: TableCall, authorization: string): Promise<HttpResponse> {
    const record = call.sysId === undefined ? '' : `/${encodeURIComponent(call.sysId)}`;
    const path = `/api/now/table/${this.table}${record}`;
    return this.transport.send(call.context, {
      method: call.method,
      path,
      searchParams: { ...commonParams, ...call.searchParams },
      json: call.body,
      authorization,
    });
  }

  #result(call: TableCall, response: HttpResponse): unknown {
    const { status, headers, body } = response;
    if (
      status === 404 &&
      call.sysId === undefined &&
      call.method === 'GET' &&
      /no record found/i.test(body)
    ) {
      return [];
    }
    if (status < 200 || status >= 300) throw errorFromResponse(call.context, status, headers, body);

    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      // An instance waking from hibernation or a proxy page answers 200 with HTML: worth another try.
      throw badResponse(call.context, `a ${status} answer that is not JSON`, true);
    }
    if (typeof parsed !== 'object' || parsed === null || !('result' in parsed)) {
      throw badResponse(call.context, `a ${status} answer without a result`, true);
    }
    return parsed.result;
  }
}

/** Replaces any credential value in an error's message and cause; nothing should put one there. */
function scrub(error: ServiceNowError, secrets: readonly string[]): ServiceNowError {
  const clean = (text: string): string =>
    secrets.reduce((result, secret) => result.split(secret).join('[redacted]'), text);

  error.message = clean(error.message);
  if (error.stack !== undefined) error.stack = clean(error.stack);
  if (error.cause instanceof Error) {
    error.cause.message = clean(error.cause.message);
    if (error.cause.stack !== undefined) error.cause.stack = clean(error.cause.stack);
  }
  return error;
}
