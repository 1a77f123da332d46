import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import pLimit from 'p-limit';
import { disableVerdictSignal, searchAttributes } from '../workflows/definitions.js';
import type { ProgressReporter } from './progress.js';

export interface SettleResult {
  readonly settled: number;
  readonly failed: number;
  readonly unsettled: number;
}

const pollIntervalMs = 500;
/**
 * A count by `ProvisioningReconciles` (a keyword list) is a scan of the visibility store on some
 * servers (the dev server's SQLite), so its cost grows with the number of users (45 ms at 40,000
 * users): polled every half second, it takes a growing share of the server from the users it
 * waits for. Between polls the settle step waits this many times as long as the last poll took.
 */
const pollCostFactor = 20;
/** Well inside the settle activity's heartbeat timeout (a minute): each poll heartbeats. */
const maxPollIntervalMs = 15_000;

/** Visibility query for the users a reconcile signalled that have handled the signal. */
function handledBy(reconcileId: string): string {
  return `${searchAttributes.reconciles.name} = '${reconcileId}'`;
}

/**
 * Waits until every user a reconcile dispatched shows, in Temporal's visibility, that it has
 * handled the signal (and finished any disable an operator approved since), or until the timeout.
 */
export async function awaitUsersSettled(
  client: Client,
  input: { reconcileId: string; dispatched: number; timeoutMs: number },
  report: ProgressReporter,
): Promise<SettleResult> {
  const handled = handledBy(input.reconcileId);
  const busy = `${handled} AND ${searchAttributes.state.name} IN ('pending', 'awaiting-approval')`;
  const deadline = Date.now() + input.timeoutMs;
  let settled = 0;

  while (input.dispatched > 0) {
    const polledAt = Date.now();
    const [done, stillBusy] = await Promise.all([
      client.workflow.count(handled),
      client.workflow.count(busy),
    ]);
    const pollMs = Date.now() - polledAt;
    settled = done.count - stillBusy.count;
    report({ stage: 'settling', settled });
    if (settled >= input.dispatched || Date.now() > deadline) break;
    await Context.current().sleep(
      Math.min(maxPollIntervalMs, Math.max(pollIntervalMs, pollCostFactor * pollMs)),
    );
  }

  const failedQuery = `${handled} AND ${searchAttributes.state.name} = 'failed'`;
  const failed = input.dispatched > 0 ? (await client.workflow.count(failedQuery)).count : 0;
  report({ stage: 'settling', settled }, { force: true });
  return { settled, failed, unsettled: Math.max(0, input.dispatched - settled) };
}

/**
 * Hands the operator's verdict to exactly the users whose disable this reconcile held back: those
 * visibility shows awaiting this reconcile's approval. Returns how many were told.
 */
export async function deliverVerdict(
  client: Client,
  input: { reconcileId: string; held: number; approved: boolean; timeoutMs: number },
): Promise<number> {
  const query = `${handledBy(input.reconcileId)} AND ${searchAttributes.state.name} = 'awaiting-approval'`;
  const deadline = Date.now() + input.timeoutMs;
  while ((await client.workflow.count(query)).count < input.held && Date.now() < deadline) {
    Context.current().heartbeat();
    await Context.current().sleep(pollIntervalMs);
  }

  const limit = pLimit(32);
  const signals: Promise<void>[] = [];
  for await (const execution of client.workflow.list({ query })) {
    const handle = client.workflow.getHandle(execution.workflowId);
    signals.push(
      limit(() =>
        handle.signal(disableVerdictSignal, { reconcileId: input.reconcileId, approved: input.approved }),
      ),
    );
  }
  await Promise.all(signals);
  return signals.length;
}
