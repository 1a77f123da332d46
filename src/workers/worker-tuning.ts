import type { WorkerOptions } from '@temporalio/worker';

/** The worker settings that decide its throughput and memory, chosen from the benchmark's figures. */
export type WorkerTuning = Pick<
  WorkerOptions,
  'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions' | 'maxCachedWorkflows'
>;

/**
 * Settings of every worker that runs the product's workflows (and of the benchmark's bare-engine
 * worker, so both are measured alike). Activities that call ServiceNow queue on the client's own
 * request budget, so twice its concurrency keeps the budget busy while some activities wait.
 */
export function workerTuning(servicenow: { readonly maxConcurrency: number }): WorkerTuning {
  return {
    maxConcurrentActivityTaskExecutions: servicenow.maxConcurrency * 2,
  };
}
