import { ApplicationFailure } from '@temporalio/common';
import { describeFailure } from '../../src/cli/exit-on-error.js';
import { TemporalUnreachableError } from '../../src/temporal/connect.js';

describe('the message a failed command ends with', () => {
  test('names the causes of a failed reconcile down to the failure’s stable type', () => {
    const cause = ApplicationFailure.create({
      type: 'Directory:bad-filter',
      message: 'invalid LDAP filter (uid=foo',
      nonRetryable: true,
    });
    const activity = new Error('Activity task failed', { cause });
    const workflow = new Error('Workflow execution failed', { cause: activity });

    expect(describeFailure(workflow)).toBe(
      'Workflow execution failed: Activity task failed: Directory:bad-filter: invalid LDAP filter (uid=foo',
    );
  });

  test('does not say a cause again when the message above it says it already', () => {
    const refused = new Error('connect ECONNREFUSED 127.0.0.1:18102');
    const temporal = new TemporalUnreachableError('127.0.0.1:18100', {
      cause: new Error('Failed to connect before the deadline'),
    });

    expect(describeFailure(temporal)).toBe(
      'cannot reach Temporal at 127.0.0.1:18100: Failed to connect before the deadline',
    );
    expect(
      describeFailure(new Error(`cannot reach the server: ${refused.message}`, { cause: refused })),
    ).toBe('cannot reach the server: connect ECONNREFUSED 127.0.0.1:18102');
    expect(describeFailure(new Error('reconcile failed', { cause: refused }))).toBe(
      'reconcile failed: connect ECONNREFUSED 127.0.0.1:18102',
    );
  });

  test('leaves out a cause that is neither an error nor a text, since it could hold anything', () => {
    const error = new Error('listUsers failed', { cause: { password: 'hunter2' } });

    expect(describeFailure(error)).toBe('listUsers failed');
  });
});
