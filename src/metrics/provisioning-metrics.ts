import { collectDefaultMetrics, Counter, Registry } from 'prom-client';

/** The account changes the product counts, as the decision table names them. */
export type CountedAction = 'create' | 'link' | 'update' | 'enable' | 'disable';

/**
 * The product's own Prometheus metrics: what the workers did to ServiceNow accounts. Temporal's
 * own worker metrics (task slots, latencies, polls) come from the SDK on a separate endpoint; see
 * `temporal-telemetry.ts`. One registry per instance, so tests and workers never share counts.
 */
export class ProvisioningMetrics {
  readonly registry = new Registry();
  readonly #changes: Record<CountedAction, Counter>;
  readonly #failures: Counter<'error_type' | 'retryable'>;

  constructor(options: { processMetrics?: boolean } = {}) {
    const counter = (name: string, help: string) =>
      new Counter({ name: `provisioner_accounts_${name}_total`, help, registers: [this.registry] });
    this.#changes = {
      create: counter('provisioned', 'ServiceNow accounts created for directory users'),
      link: counter('linked', 'existing ServiceNow accounts linked to their directory users'),
      update: counter('updated', 'ServiceNow accounts whose mapped fields or user name were updated'),
      enable: counter('enabled', 'ServiceNow accounts activated again'),
      disable: counter('disabled', 'ServiceNow accounts disabled'),
    };
    this.#failures = new Counter({
      name: 'provisioner_account_failures_total',
      help: 'attempts to bring an account in line that failed; retryable="false" leaves the user failed',
      labelNames: ['error_type', 'retryable'],
      registers: [this.registry],
    });
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** Counts one account change that was written. */
  accountChanged(action: CountedAction): void {
    this.#changes[action].inc();
  }

  /** Counts one failed attempt, by the failure's stable type. */
  accountFailed(errorType: string, retryable: boolean): void {
    this.#failures.inc({ error_type: errorType, retryable: String(retryable) });
  }

  /** The metrics in Prometheus's text format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
