import type { BenchStack } from '../bench-stack.js';
import { measureWindow } from '../window.js';

/** One reconcile that brings every person of the stack's directory into ServiceNow. */
export interface ProvisioningFigures {
  readonly users: number;
  readonly seconds: number;
  readonly usersPerS: number;
  /** Writes the emulator received (POST, PATCH...). */
  readonly writes: number;
  /** Users the reconcile reported failed, and those it could not settle in time. */
  readonly failed: number;
  readonly peakWorkerRssMB: number;
  readonly cpu: Record<string, number>;
}

/** Runs one reconcile on the stack (an empty ServiceNow: creates; existing accounts: links) and times it. */
export async function measureProvisioning(stack: BenchStack, cores: number): Promise<ProvisioningFigures> {
  const window = await measureWindow(stack, cores, () => stack.reconcile());
  const users = stack.people.length;
  const { outcome } = window.result;
  return {
    users,
    seconds: window.seconds,
    usersPerS: users / window.seconds,
    writes: window.writes,
    failed: outcome.failed + outcome.unsettled,
    peakWorkerRssMB: window.peakWorkerRssMB,
    cpu: window.cpu,
  };
}
