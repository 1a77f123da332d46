import { timingSafeEqual } from 'node:crypto';
import type { EmulatorAccount } from './types.js';

/**
 * The account a `Basic` Authorization header names with its right password, or undefined. User
 * names compare case-insensitively, as instance logins do; passwords exactly.
 */
export function basicAuthUser(
  header: string | undefined,
  accounts: readonly EmulatorAccount[],
): string | undefined {
  const match = /^basic\s+(\S+)$/i.exec(header ?? '');
  if (match?.[1] === undefined) return undefined;

  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;

  return accountUser(decoded.slice(0, colon), decoded.slice(colon + 1), accounts);
}

/** The account's user name when the user name and password match one of the accounts. */
export function accountUser(
  userName: string,
  password: string,
  accounts: readonly EmulatorAccount[],
): string | undefined {
  const account = accounts.find((a) => a.userName.toLowerCase() === userName.toLowerCase());
  return account !== undefined && sameSecret(account.password, password) ? account.userName : undefined;
}

/** Compares two secrets in time that does not depend on where they differ. */
export function sameSecret(expected: string, given: string): boolean {
  const left = Buffer.from(expected);
  const right = Buffer.from(given);
  return left.length === right.length && timingSafeEqual(left, right);
}
