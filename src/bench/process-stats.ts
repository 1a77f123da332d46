import { readFileSync } from 'node:fs';

const clockTicksPerSecond = 100;

/** Resident memory of a process now, in MB; 0 once it has gone. */
export function rssMB(pid: number): number {
  return statusField(pid, 'VmRSS') / 1024;
}

/** CPU time (user + system) a process has used since it started, in seconds; 0 once it has gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond;
  } catch {
    return 0;
  }
}

function statusField(pid: number, name: string): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Samples a process's resident memory every `intervalMs` and keeps the highest value seen. */
export class PeakRss {
  #peakMB = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 50,
  ) {
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), intervalMs);
  }

  /** Stops sampling; the highest resident memory seen, in MB. */
  stop(): number {
    clearInterval(this.#timer);
    this.#sample();
    return this.#peakMB;
  }

  #sample(): void {
    this.#peakMB = Math.max(this.#peakMB, rssMB(this.pid));
  }
}

/** The CPU each named process used over a window, as a share of the machine's cores. */
export class CpuShares {
  readonly #start: Map<string, number>;
  readonly #startedAt = process.hrtime.bigint();

  constructor(
    private readonly pids: Readonly<Record<string, number | undefined>>,
    private readonly cores: number,
  ) {
    this.#start = new Map(Object.entries(pids).map(([name, pid]) => [name, pid ? cpuSeconds(pid) : 0]));
  }

  /** Share of all cores used by each process since construction (0.5 = one core of two). */
  shares(): Record<string, number> {
    const elapsed = Number(process.hrtime.bigint() - this.#startedAt) / 1e9;
    const result: Record<string, number> = {};
    for (const [name, pid] of Object.entries(this.pids)) {
      const used = pid ? cpuSeconds(pid) - (this.#start.get(name) ?? 0) : 0;
      result[name] = elapsed > 0 ? used / elapsed / this.cores : 0;
    }
    return result;
  }
}
