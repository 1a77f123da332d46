import type { BenchStack } from '../bench-stack.js';
import { measureWindow } from '../window.js';

/** Provisioning against an emulator that allows `limit` requests per second and answers 429 above it. */
export interface BudgetFigures {
  readonly users: number;
  readonly limit: number;
  readonly seconds: number;
  /** Requests ServiceNow accepted (not 429) per second over the whole reconcile. */
  readonly requestsPerS: number;
  readonly ratio: number;
  /** Requests answered 429. */
  readonly rateLimited: number;
  /** People without an account once the reconcile ended. */
  readonly failedUsers: number;
  /** Accounts created twice for one person: extra accepted creates, and user names held by two rows. */
  readonly duplicates: number;
  readonly cpu: Record<string, number>;
}

/** Limits the emulator to `limit` requests per second and provisions the stack's directory. */
export async function measureBudget(stack: BenchStack, cores: number, limit: number): Promise<BudgetFigures> {
  await stack.emulator.setRateLimit(limit);
  const window = await measureWindow(stack, cores, () => stack.reconcile());
  await stack.emulator.setRateLimit(null);

  const accepted = window.requests.filter((r) => r.status !== 429);
  const records = await stack.emulator.userRecords();
  const names = new Map<string, number>();
  for (const record of records) {
    const name = (record.user_name ?? '').toLowerCase();
    names.set(name, (names.get(name) ?? 0) + 1);
  }
  const sharedNames = [...names.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  const creates = accepted.filter((r) => r.method === 'POST' && r.status < 300);
  const created = new Set(creates.map((r) => userNameOf(r.body).toLowerCase()));
  const failedUsers = stack.people.filter((p) => !names.has(p.uid.toLowerCase())).length;

  return {
    users: stack.people.length,
    limit,
    seconds: window.seconds,
    requestsPerS: accepted.length / window.seconds,
    ratio: accepted.length / window.seconds / limit,
    rateLimited: window.requests.length - accepted.length,
    failedUsers,
    duplicates: sharedNames + (creates.length - created.size),
    cpu: window.cpu,
  };
}

function userNameOf(body: Record<string, unknown> | undefined): string {
  const name = body?.user_name;
  return typeof name === 'string' ? name : '';
}
