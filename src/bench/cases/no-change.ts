import type { BenchStack } from '../bench-stack.js';
import { historySize } from '../history.js';
import { rssMB } from '../process-stats.js';
import { rawReadSeconds } from '../raw-read.js';
import { requestsBetween } from '../server-metrics.js';
import { measureWindow, type WindowFigures } from '../window.js';

/** A reconcile of a directory whose users are all in step already, next to a plain read of both sides. */
export interface NoChangeFigures {
  readonly users: number;
  /** The measured reconcile: the second in a row, as every scheduled reconcile of a steady directory. */
  readonly seconds: number;
  /**
   * The reconcile before it, the first of a worker started after provisioning: it has not read the
   * managed users yet, so it lists every one of them.
   */
  readonly coldSeconds: number;
  /** The plain read of both sides (mean of one before and one after the reconcile). */
  readonly rawReadSeconds: number;
  readonly ratio: number;
  readonly writes: number;
  /** User workflows started or signalled, from the Temporal frontend's request counts. */
  readonly signals: number;
  /** The highest resident memory of the worker over both reconciles. */
  readonly peakRssMB: number;
  /**
   * The resident memory of the worker that provisioned the users, just before it was replaced: what
   * provisioning leaves behind (V8 keeps the heap it grew to), which is not the reconcile's need.
   */
  readonly provisioningWorkerRssMB: number;
  readonly historyBytes: number;
  readonly historyEvents: number;
  /** Every Temporal frontend operation called during the reconcile, with its count. */
  readonly temporalCalls: Record<string, number>;
  readonly cpu: Record<string, number>;
}

/**
 * Measures two no-change reconciles in a row on a stack whose users were all provisioned before, by a
 * worker started for them: the first is a worker's first, the second the steady state.
 */
export async function measureNoChange(
  stack: BenchStack,
  cores: number,
  pageSizes: { directory: number; servicenow: number },
): Promise<NoChangeFigures> {
  const provisioningWorkerRssMB = rssMB(stack.worker.pid);
  await stack.restartWorker();
  const rawBefore = await rawReadSeconds(stack, pageSizes);
  const reconcile = async () => {
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
    const history = await historySize(stack.client, workflowId);
    return { window, history, signals: userWorkflowCalls(window, history.signals) };
  };
  const cold = await reconcile();
  const { window, history, signals } = await reconcile();
  const rawAfter = await rawReadSeconds(stack, pageSizes);
  const rawRead = (rawBefore + rawAfter) / 2;
  const delta = (operation: string) =>
    requestsBetween(window.temporalBefore, window.temporalAfter, operation);

  return {
    users: stack.people.length,
    seconds: window.seconds,
    coldSeconds: cold.window.seconds,
    rawReadSeconds: rawRead,
    ratio: window.seconds / rawRead,
    // Neither reconcile may write or signal anything: both count.
    writes: cold.window.writes + window.writes,
    signals: cold.signals + signals,
    peakRssMB: Math.max(cold.window.peakWorkerRssMB, window.peakWorkerRssMB),
    provisioningWorkerRssMB,
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
