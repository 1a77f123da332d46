/** The systems `provisioner check` tests, in the order it prints them. */
export type CheckedSystem = 'directory' | 'servicenow' | 'temporal';

/** One line of `provisioner check`: passed, failed (with the reason), or not tried because an earlier one failed. */
export interface CheckResult {
  readonly system: CheckedSystem;
  readonly check: string;
  readonly status: 'pass' | 'fail' | 'skip';
  /** What was found, or why it failed; never a secret. */
  readonly detail: string;
}

/** Builds the results of one system's checks, in order; once one fails, the rest are skipped. */
export class CheckList {
  readonly results: CheckResult[] = [];
  #failed: string | undefined;

  constructor(readonly system: CheckedSystem) {}

  /** Runs `test` unless an earlier check failed; its returned text is the detail of a pass. */
  async run(check: string, test: () => Promise<string>): Promise<boolean> {
    if (this.#failed !== undefined) {
      this.results.push({
        system: this.system,
        check,
        status: 'skip',
        detail: `not tried: ${this.#failed} failed`,
      });
      return false;
    }
    try {
      this.results.push({ system: this.system, check, status: 'pass', detail: await test() });
      return true;
    } catch (error) {
      this.#failed = check;
      this.results.push({ system: this.system, check, status: 'fail', detail: reasonOf(error) });
      return false;
    }
  }
}

/** The first line of an error's message: our errors name the system and the cause, never a secret. */
export function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
