import type { BenchStack } from '../bench-stack.js';
import { historySize } from '../history.js';
import { rawReadSeconds } from '../raw-read.js';
import { requestsBetween } from '../server-metrics.js';
import { measureWindow, type WindowFigures } from '../window.js';

/** A reconcile of a directory whose users are all in step already, next to a plain read of both sides. */
export interface NoChangeFigures {
  readonly users: number;
  readonly seconds: number;
  /** The plain read of both sides (mean of one before and one after the reconcile). */
  readonly rawReadSeconds: number;
  readonly ratio: number;
  readonly writes: number;
  /** User workflows started or signalled, from the Temporal frontend's request counts. */
  readonly signals: number;
  readonly peakRssMB: number;
  readonly historyBytes: number;
  readonly historyEvents: number;
  /** Every Temporal frontend operation called during the reconcile, with its count. */
  readonly temporalCalls: Record<string, number>;
  readonly cpu: Record<string, number>;
}

/** Measures one no-change reconcile on a stack whose users were all provisioned before. */
export async function measureNoChange(
  stack: BenchStack,
  cores: number,
  pageSizes: { directory: number; servicenow: number },
): Promise<NoChangeFigures> {
  const rawBefore = await rawReadSeconds(stack, pageSizes);
  let workflowId = '';
  const window = await measureWindow(
    stack,
    cores,
    async () => {
      const handle = await stack.startReconcile();
      workflowId = handle.workflowId;
      return handle.result();
    },
    { countTemporalCalls: true },
  );
  const rawAfter = await rawReadSeconds(stack, pageSizes);
  const rawRead = (rawBefore + rawAfter) / 2;
  const history = await historySize(stack.client, workflowId);
  const delta = (operation: string) =>
    requestsBetween(window.temporalBefore, window.temporalAfter, operation);

  return {
    users: stack.people.length,
    seconds: window.seconds,
    rawReadSeconds: rawRead,
    ratio: window.seconds / rawRead,
    writes: window.writes,
    signals: userWorkflowCalls(window, history.signals),
    peakRssMB: window.peakWorkerRssMB,
    historyBytes: history.bytes,
    historyEvents: history.events,
    temporalCalls: Object.fromEntries(
      [...window.temporalAfter.keys()]
        .map((op): [string, number] => [op, delta(op)])
        .filter(([, n]) => n !== 0),
    ),
    cpu: window.cpu,
  };
}

/**
 * Workflows started or signalled in a window in which one reconcile ran, from the frontend's
 * counts: the reconcile's own start and the progress signals in its history are the reconcile's
 * business; every other start, signal or signal-with-start went to some other workflow.
 */
export function userWorkflowCalls(window: WindowFigures<unknown>, reconcileSignals: number): number {
  const delta = (operation: string) =>
    requestsBetween(window.temporalBefore, window.temporalAfter, operation);
  const starts = delta('StartWorkflowExecution') - 1;
  return (
    delta('SignalWithStartWorkflowExecution') + delta('SignalWorkflowExecution') - reconcileSignals + starts
  );
}
