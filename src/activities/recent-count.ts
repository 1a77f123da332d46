/**
 * Events counted over a sliding window, e.g. the disables the watcher sent during the last reconcile
 * interval, so that leavers removed one at a time meet the deprovision guard as one run's would.
 */
export class RecentCount {
  #times: number[];

  constructor(
    private readonly windowMs: number,
    times: readonly number[] = [],
    private readonly now: () => number = Date.now,
  ) {
    this.#times = [...times];
  }

  add(count: number): void {
    const at = this.now();
    for (let i = 0; i < count; i += 1) this.#times.push(at);
  }

  /** Events inside the window. */
  count(): number {
    this.#forgetOld();
    return this.#times.length;
  }

  /** The times of the events inside the window, to carry over to a retried attempt. */
  times(): number[] {
    this.#forgetOld();
    return [...this.#times];
  }

  #forgetOld(): void {
    const since = this.now() - this.windowMs;
    this.#times = this.#times.filter((t) => t > since);
  }
}
