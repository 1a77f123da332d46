import { ApplicationFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { ApplyUserStateResult } from '../activities/user-activities.js';
import type { CountedAction, ProvisioningMetrics } from './provisioning-metrics.js';

const counted = new Set<string>(['create', 'link', 'update', 'enable', 'disable']);

/**
 * Counts what each `applyUserState` activity did to its account, from outside the activity: the
 * result's decision when it wrote, the failure's type when it threw. Other activities pass through.
 */
export function accountMetricsInterceptor(metrics: ProvisioningMetrics): ActivityInterceptorsFactory {
  return (context) => ({
    inbound: {
      async execute(input, next) {
        if (context.info.activityType !== 'applyUserState') return next(input);
        try {
          const result = (await next(input)) as ApplyUserStateResult;
          if (counted.has(result.kind)) metrics.accountChanged(result.kind as CountedAction);
          return result;
        } catch (error) {
          const failure = error instanceof ApplicationFailure ? error : undefined;
          metrics.accountFailed(failure?.type ?? 'Unknown', !failure?.nonRetryable);
          throw error;
        }
      },
    },
  });
}
