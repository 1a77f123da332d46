import { ApplicationFailure } from '@temporalio/activity';
import { DirectoryError } from '../directory/errors.js';
import { ServiceNowError } from '../servicenow/errors.js';

/** Directory failures that no retry can fix: the configuration or the credentials must change. */
const permanentDirectoryCodes = new Set([
  'bind-failed',
  'base-not-found',
  'group-not-found',
  'bad-filter',
  'tls',
  'unsupported',
]);

/**
 * Turns an error from a dependency into the failure Temporal's retry policy acts on: a stable `type`,
 * non-retryable when only a person can fix it, and the server's own back-off for throttling. Messages
 * come from our error classes, which never carry credentials; the original error is not attached.
 */
export function toApplicationFailure(error: unknown): ApplicationFailure {
  if (error instanceof ApplicationFailure) return error;

  if (error instanceof ServiceNowError) {
    return ApplicationFailure.create({
      type: error.type,
      message: error.message,
      nonRetryable: !error.retryable,
      nextRetryDelay: nextRetryDelay(error.retryAfterMs),
    });
  }

  if (error instanceof DirectoryError) {
    return ApplicationFailure.create({
      type: `Directory:${error.code}`,
      message: error.message,
      nonRetryable: permanentDirectoryCodes.has(error.code),
    });
  }

  const message = error instanceof Error ? error.message : String(error);
  return ApplicationFailure.create({ type: 'UnexpectedError', message });
}

/**
 * The server's advice as a next-retry delay, or undefined to leave the delay to the retry policy.
 * Temporal's server takes a delay of zero as "retry no more": the activity closes as timed out with
 * this failure, and a user failed on a 5xx whose X-RateLimit-Reset fell on the millisecond it was
 * read. Advice to come back at once gets the policy's first interval instead.
 */
function nextRetryDelay(adviceMs: number | undefined): number | undefined {
  return adviceMs !== undefined && adviceMs > 0 ? adviceMs : undefined;
}

/** Runs `fn`, turning any error into an ApplicationFailure. */
export async function withFailureTypes<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toApplicationFailure(error);
  }
}
