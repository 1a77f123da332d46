import { ApplicationFailure } from '@temporalio/common';
import { DirectoryError } from '../../src/directory/errors.js';
import { toApplicationFailure } from '../../src/activities/failures.js';
import { ServiceNowError } from '../../src/servicenow/errors.js';

describe('turning a dependency error into the failure Temporal retries by', () => {
  test('lets a throttled call be retried after the delay ServiceNow asked for, not the policy’s own', () => {
    const throttled = new ServiceNowError('ServiceNowRateLimited', 'rate limited', {
      retryable: true,
      status: 429,
      retryAfterMs: 7000,
    });

    const failure = toApplicationFailure(throttled);

    expect(failure).toMatchObject({
      type: 'ServiceNowRateLimited',
      nonRetryable: false,
      nextRetryDelay: 7000,
    });
  });

  test.each([0, undefined])(
    'leaves the delay to the retry policy when ServiceNow advises %p ms, as Temporal would stop retrying at zero',
    (retryAfterMs) => {
      const unavailable = new ServiceNowError('ServiceNowUnavailable', 'answered 500', {
        retryable: true,
        status: 500,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });

      const failure = toApplicationFailure(unavailable);

      expect(failure).toMatchObject({ type: 'ServiceNowUnavailable', nonRetryable: false });
      expect(failure.nextRetryDelay).toBeUndefined();
    },
  );

  test('makes a refused write permanent, with its stable type', () => {
    const forbidden = new ServiceNowError('ServiceNowForbidden', 'forbidden', {
      retryable: false,
      status: 403,
    });

    expect(toApplicationFailure(forbidden)).toMatchObject({
      type: 'ServiceNowForbidden',
      nonRetryable: true,
    });
  });

  test('retries an unreachable directory but not a refused bind', () => {
    const down = toApplicationFailure(
      new DirectoryError('unreachable', 'directory ldap://x: connection refused'),
    );
    const refused = toApplicationFailure(
      new DirectoryError('bind-failed', 'directory ldap://x: bad credentials'),
    );

    expect([down.type, down.nonRetryable]).toEqual(['Directory:unreachable', false]);
    expect([refused.type, refused.nonRetryable]).toEqual(['Directory:bind-failed', true]);
  });

  test('passes an ApplicationFailure through unchanged and keeps no cause that could carry a secret', () => {
    const own = ApplicationFailure.nonRetryable('already typed', 'Own');
    const unexpected = toApplicationFailure(new Error('boom', { cause: { password: 'hunter2' } }));

    expect(toApplicationFailure(own)).toBe(own);
    expect(unexpected).toMatchObject({ type: 'UnexpectedError', message: 'boom', cause: undefined });
  });
});
