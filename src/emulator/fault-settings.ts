import { z } from 'zod';
import type { FaultSettings } from './types.js';

/** Settings of an emulator that injects no fault. */
export const noFaults: FaultSettings = {
  latencyMs: 0,
  errorRate: 0,
  rateLimit: null,
  retryAfterMissing: false,
  commitThen500: 0,
  seed: 1,
};

const share = z.number().min(0).max(1);
const faultChanges = z
  .strictObject({
    latencyMs: z.number().int().min(0),
    errorRate: share,
    rateLimit: z.strictObject({ requestsPerSecond: z.number().positive() }).nullable(),
    retryAfterMissing: z.boolean(),
    commitThen500: share,
    seed: z.number().int(),
  })
  .partial();

/** Fault settings that are out of range or of the wrong type, e.g. an errorRate of 2. */
export class InvalidFaultSettingsError extends Error {
  readonly code = 'EMULATOR_INVALID_FAULTS';

  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'InvalidFaultSettingsError';
  }
}

/** Checks changes to the fault settings, from options, the CLI or `PUT /emulator/faults`. */
export function parseFaultChanges(input: unknown): Partial<FaultSettings> {
  const parsed = faultChanges.safeParse(input);
  if (parsed.success) return parsed.data;

  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.join('.') || 'faults'}: ${issue.message}`,
  );
  throw new InvalidFaultSettingsError(`Invalid fault settings: ${problems.join('; ')}`, {
    cause: parsed.error,
  });
}
