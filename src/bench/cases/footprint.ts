import { statSync } from 'node:fs';
import type { BenchStack } from '../bench-stack.js';
import { historySize } from '../history.js';
import { rssMB } from '../process-stats.js';

/** What the engine keeps for the stack's open per-user workflows. */
export interface FootprintFigures {
  readonly openWorkflows: number;
  readonly serverRssMB: number;
  /** The SQLite file with its write-ahead log. */
  readonly dbMB: number;
  /** One user workflow's current run: the history it keeps between continues-as-new. */
  readonly userHistoryEvents: number;
  readonly userHistoryBytes: number;
}

/** Measures the dev server's memory and database with the stack's user workflows open. */
export async function measureFootprint(stack: BenchStack): Promise<FootprintFigures> {
  const query = `WorkflowType = 'userLifecycleWorkflow' AND TaskQueue = '${stack.taskQueue}' AND ExecutionStatus = 'Running'`;
  const { count } = await stack.client.workflow.count(query);
  let sample: string | undefined;
  for await (const execution of stack.client.workflow.list({ query, pageSize: 1 })) {
    sample = execution.workflowId;
    break;
  }
  const history = sample ? await historySize(stack.client, sample) : { events: 0, bytes: 0 };

  const size = (file: string) => {
    try {
      return statSync(file).size;
    } catch {
      return 0;
    }
  };
  const dbBytes = ['', '-wal', '-shm'].reduce((sum, suffix) => sum + size(`${stack.dbFile}${suffix}`), 0);
  return {
    openWorkflows: count,
    serverRssMB: rssMB(stack.temporal.process.pid ?? 0),
    dbMB: dbBytes / 1024 / 1024,
    userHistoryEvents: history.events,
    userHistoryBytes: history.bytes,
  };
}
