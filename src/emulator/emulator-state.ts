import { EmulatorDatabase } from './database.js';
import { RequestLog } from './request-log.js';
import { loadSeed } from './seed.js';
import type { EmulatorAccount, EmulatorOptions } from './types.js';

/** Everything one running emulator holds, shared by its routes. */
export interface EmulatorState {
  readonly database: EmulatorDatabase;
  readonly accounts: readonly EmulatorAccount[];
  readonly requestLog: RequestLog;
  readonly logRequests: boolean;
  /** Puts the records back to what the emulator started with. */
  reset(): void;
}

/** The default API account of a new emulator. */
export const defaultAccounts: readonly EmulatorAccount[] = [{ userName: 'admin', password: 'admin' }];

/** Builds the state of a new emulator and loads its records. */
export function createEmulatorState(options: EmulatorOptions): EmulatorState {
  const database = new EmulatorDatabase();
  const reset = (): void => loadSeed(database, options.seed ?? 'default', options.records ?? []);
  reset();

  return {
    database,
    accounts: options.accounts ?? defaultAccounts,
    requestLog: new RequestLog(),
    logRequests: options.logRequests ?? false,
    reset,
  };
}
