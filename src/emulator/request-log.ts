import type { RequestLogEntry } from './types.js';

const maskedKeys = /password|secret|token/i;

/** Every API request the emulator answered, oldest first, numbered from 1 across clears. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private lastSeq = 0;

  /** Records an answered request and gives it the next sequence number. */
  add(entry: Omit<RequestLogEntry, 'seq'>): RequestLogEntry {
    this.lastSeq += 1;
    const recorded = { seq: this.lastSeq, ...entry };
    this.entries.push(recorded);
    return recorded;
  }

  /** Entries after sequence number `since` (all when undefined), as copies. */
  list(since?: number): RequestLogEntry[] {
    return this.entries
      .filter((entry) => since === undefined || entry.seq > since)
      .map((e) => structuredClone(e));
  }

  /** Forgets the entries; numbering goes on so `since` stays meaningful. */
  clear(): void {
    this.entries = [];
  }
}

/** A copy of a request body fit for the log: a `user_password` or similar value is masked. */
export function loggableBody(body: unknown): Record<string, unknown> | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;

  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => [key, maskedKeys.test(key) ? '********' : value]),
  );
}
