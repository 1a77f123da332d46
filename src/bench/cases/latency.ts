import { performance } from 'node:perf_hooks';
import { modifyPerson } from '../../dev/directory-fixtures.js';
import { watcherStatusQuery, watcherWorkflowId } from '../../workflows/watcher-definitions.js';
import type { BenchStack } from '../bench-stack.js';
import type { LatencyFigures } from '../results.js';

/** How often the emulator is asked whether the new value has arrived. */
const checkEveryMs = 50;
/** A change that has not arrived by then counts as lost: the case fails rather than wait for ever. */
const giveUpAfterMs = 120_000;

/**
 * Times single-attribute changes from slapd to ServiceNow with incremental detection on: for each
 * of `changes` people, one after another, a new title is written to slapd and timed from the
 * moment slapd acknowledged it until the emulator shows it. The stack's people are provisioned
 * first by one reconcile; nothing else runs while the changes are timed.
 */
export async function measureLatency(stack: BenchStack, changes: number): Promise<LatencyFigures> {
  await stack.reconcile();
  await waitUntilWatching(stack);

  const samplesS: number[] = [];
  const people = stack.people.slice(0, changes);
  for (const [i, person] of people.entries()) {
    const title = `Latency check ${i + 1}`;
    await modifyPerson(stack.slapd, person.uid, { title });
    const madeAt = performance.now();
    await waitForTitle(stack, person.uid, title);
    samplesS.push((performance.now() - madeAt) / 1000);
  }

  return {
    changes: samplesS.length,
    p50S: percentile(samplesS, 0.5),
    p95S: percentile(samplesS, 0.95),
    samplesS,
  };
}

/** The nearest-rank percentile: the smallest sample with at least share `p` of the samples at or below it. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

async function waitUntilWatching(stack: BenchStack): Promise<void> {
  const handle = stack.client.workflow.getHandle(watcherWorkflowId(stack.taskQueue));
  await until(
    async () => (await handle.query(watcherStatusQuery)).watching,
    'the directory watcher to start',
  );
}

async function waitForTitle(stack: BenchStack, uid: string, title: string): Promise<void> {
  const arrived = async () => (await stack.emulator.userRecord(uid)).some((row) => row.title === title);
  await until(arrived, `the new title of ${uid} to reach ServiceNow`);
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = performance.now() + giveUpAfterMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (performance.now() > deadline) throw new Error(`latency: gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, checkEveryMs));
  }
}
