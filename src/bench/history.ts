import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

const { temporal } = proto;

/** Size of a workflow run's history as the server stores it, and what it holds. */
export interface HistorySize {
  readonly events: number;
  readonly bytes: number;
  /** Signals the run received. */
  readonly signals: number;
}

/** Reads a run's whole history and measures it (encoded, as the server keeps it). */
export async function historySize(client: Client, workflowId: string, runId?: string): Promise<HistorySize> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const signalled = temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED;
  return {
    events: history.events?.length ?? 0,
    bytes: temporal.api.history.v1.History.encode(history).finish().length,
    signals: history.events?.filter((e) => e.eventType === signalled).length ?? 0,
  };
}
