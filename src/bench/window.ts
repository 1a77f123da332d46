import { readdirSync, readFileSync } from 'node:fs';
import type { RequestLogEntry } from '../emulator/index.js';
import type { BenchStack } from './bench-stack.js';
import { CpuShares, PeakRss } from './process-stats.js';
import { frontendRequests } from './server-metrics.js';

/** What happened while one measured step ran, each figure from outside the product. */
export interface WindowFigures<T> {
  readonly result: T;
  readonly seconds: number;
  /** The product's requests to ServiceNow, from the emulator's request log. */
  readonly requests: readonly RequestLogEntry[];
  /** POST, PUT, PATCH and DELETE answered without a 429 (a refused request changes nothing). */
  readonly writes: number;
  readonly peakWorkerRssMB: number;
  /** Share of all cores each process used. */
  readonly cpu: Record<string, number>;
  /** Temporal frontend requests per operation, before and after; empty unless counted. */
  readonly temporalBefore: Map<string, number>;
  readonly temporalAfter: Map<string, number>;
}

/**
 * Runs `step` on `stack` and measures it: time, requests, worker memory, CPU shares and, with
 * `countTemporalCalls`, the Temporal frontend's calls (which costs a few seconds of waiting).
 */
export async function measureWindow<T>(
  stack: BenchStack,
  cores: number,
  step: () => Promise<T>,
  options: { countTemporalCalls?: boolean } = {},
): Promise<WindowFigures<T>> {
  const temporalCalls = async () => {
    if (!options.countTemporalCalls) return new Map<string, number>();
    // The server publishes its counters about once a second: let the calls made so far show first.
    await metricsSettle();
    return frontendRequests(stack.temporal.metricsUrl);
  };
  await stack.emulator.clearLog();
  const temporalBefore = await temporalCalls();
  const peak = new PeakRss(stack.worker.pid);
  const cpu = new CpuShares(
    {
      worker: stack.worker.pid,
      temporal: stack.temporal.process.pid,
      emulator: stack.emulator.pid,
      slapd: slapdPid(stack),
      bench: process.pid,
    },
    cores,
  );

  const started = performance.now();
  const result = await step();
  const seconds = (performance.now() - started) / 1000;

  const shares = cpu.shares();
  const peakWorkerRssMB = peak.stop();
  const temporalAfter = await temporalCalls();
  const requests = await stack.emulator.requestLog();
  const writes = requests.filter((r) => r.method !== 'GET' && r.status !== 429).length;
  return { result, seconds, requests, writes, peakWorkerRssMB, cpu: shares, temporalBefore, temporalAfter };
}

/** The slapd serving the stack's port, found by its command line (the launcher keeps its pid to itself). */
function slapdPid(stack: BenchStack): number | undefined {
  const url = `ldap://127.0.0.1:${stack.slapd.port}`;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (command.includes('slapd') && command.includes(url)) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return undefined;
}

function metricsSettle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 3000));
}
