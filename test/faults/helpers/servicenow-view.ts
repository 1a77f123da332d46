import type { FaultSettings, RequestLogEntry } from '../../../src/emulator/index.js';

/** An emulator account that only the fault suite uses, so its reads never count against the product's. */
export const checkerAccount = { userName: 'fault.checker', password: 'fault-checker-password' };

/** Settings under which the emulator answers every request normally. */
const noFaults: Partial<FaultSettings> = {
  errorRate: 0,
  commitThen500: 0,
  rateLimit: null,
  retryAfterMissing: false,
  latencyMs: 0,
};

/**
 * ServiceNow as the fault suite sees it: over HTTP, through the Table API and the emulator's admin
 * endpoints, with an account of its own. Nothing here reaches into the emulator's memory.
 */
export class ServiceNowView {
  constructor(private readonly url: string) {}

  /** Every sys_user record as the Table API returns it. Turns the faults off first. */
  async users(): Promise<Array<Record<string, string>>> {
    await this.setFaults(noFaults);
    const query = 'sysparm_limit=1000000&sysparm_exclude_reference_link=true';
    const body = await this.call('GET', `/api/now/table/sys_user?${query}`);
    return (body as { result: Array<Record<string, string>> }).result;
  }

  /** How many sys_user records there are now (a cheap read for watching progress; faults stay as they are). */
  async userCount(): Promise<number> {
    const response = await this.request(
      'GET',
      '/api/now/table/sys_user?sysparm_limit=1&sysparm_fields=sys_id',
    );
    return Number(response.headers.get('x-total-count'));
  }

  /** Requests the product sent since `since` (a sequence number), the suite's own reads left out. */
  async productRequests(since = 0): Promise<RequestLogEntry[]> {
    const body = await this.call('GET', `/emulator/requests?since=${since}`);
    return (body as { result: RequestLogEntry[] }).result.filter((e) => e.user !== checkerAccount.userName);
  }

  /** The sequence number of the last logged request, to count what comes after. */
  async lastSeq(): Promise<number> {
    const body = await this.call('GET', '/emulator/requests');
    return (body as { result: RequestLogEntry[] }).result.at(-1)?.seq ?? 0;
  }

  /** Changes the given fault settings, keeps the others. */
  async setFaults(changes: Partial<FaultSettings>): Promise<void> {
    await this.call('PUT', '/emulator/faults', changes);
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    return (await this.request(method, path, body)).json();
  }

  private async request(method: string, path: string, body?: unknown): Promise<Response> {
    const credentials = Buffer.from(`${checkerAccount.userName}:${checkerAccount.password}`).toString(
      'base64',
    );
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        authorization: `Basic ${credentials}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${path}: the emulator answered ${response.status}`);
    return response;
  }
}

/** How many requests each injected fault answered, from the emulator's request log. */
export interface FaultCounts {
  readonly error5xx: number;
  readonly rateLimited: number;
  readonly commitThen500Post: number;
  readonly commitThen500Patch: number;
}

/** Counts the injected faults in `entries`. */
export function countFaults(entries: readonly RequestLogEntry[]): FaultCounts {
  const count = (test: (e: RequestLogEntry) => boolean) => entries.filter(test).length;
  return {
    error5xx: count((e) => e.fault === 'error500' || e.fault === 'error503'),
    rateLimited: count((e) => e.fault === 'rateLimit'),
    commitThen500Post: count((e) => e.fault === 'commitThen500' && e.method === 'POST'),
    commitThen500Patch: count((e) => e.fault === 'commitThen500' && e.method !== 'POST'),
  };
}
