import type { WorkerOptions } from '@temporalio/worker';

/** The worker settings that decide its throughput and memory, chosen from the benchmark's figures. */
export type WorkerTuning = Pick<
  WorkerOptions,
  'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions' | 'maxCachedWorkflows'
>;

/**
 * Workflows kept in the worker's memory between their tasks. The SDK's default grows with the heap
 * limit (about 2,300 on a machine with 24 GB), and user workflows live for ever, so the cache filled
 * with idle users: the benchmark's worker held 1.4 GB after provisioning 10,000 users. A user
 * workflow has a short history, so one that was evicted replays in about a millisecond when its
 * next signal comes. The cache only needs to hold the workflows whose activity is in flight.
 */
const cachedWorkflows = 200;

/**
 * Settings of every worker that runs the product's workflows (and of the benchmark's bare-engine
 * worker, so both are measured alike). Activities that call ServiceNow queue on the client's own
 * request budget, so twice its concurrency keeps the budget busy while some activities wait.
 */
export function workerTuning(servicenow: { readonly maxConcurrency: number }): WorkerTuning {
  return {
    maxConcurrentActivityTaskExecutions: servicenow.maxConcurrency * 2,
    maxCachedWorkflows: Math.max(cachedWorkflows, servicenow.maxConcurrency * 4),
  };
}
