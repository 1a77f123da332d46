import type { TelemetryOptions } from '@temporalio/worker';

/**
 * Telemetry options that make the Temporal SDK serve its own worker metrics (task slots, poll and
 * schedule-to-start latencies, activity and workflow task outcomes) in Prometheus format at
 * `http://<bindAddress>/metrics`. The SDK's runtime is installed once per process, so this applies
 * to the worker process only, at its start.
 */
export function temporalMetricsTelemetry(bindAddress: string): TelemetryOptions {
  return { metrics: { prometheus: { bindAddress } } };
}
