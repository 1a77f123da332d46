import { ApplicationFailure } from '@temporalio/common';
import { describeFailure } from '../../src/cli/exit-on-error.js';

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

  test('leaves out a cause that is neither an error nor a text, since it could hold anything', () => {
    const error = new Error('listUsers failed', { cause: { password: 'hunter2' } });

    expect(describeFailure(error)).toBe('listUsers failed');
  });
});
