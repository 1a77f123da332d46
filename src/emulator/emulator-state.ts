import { EmulatorDatabase } from './database.js';
import { FaultInjector } from './fault-injector.js';
import { OAuthTokens } from './oauth-tokens.js';
import { RequestLog } from './request-log.js';
import { loadSeed } from './seed.js';
import type { EmulatorAccount, EmulatorOAuthClient, EmulatorOptions } from './types.js';

/** Everything one running emulator holds, shared by its routes. */
export interface EmulatorState {
  readonly database: EmulatorDatabase;
  readonly accounts: readonly EmulatorAccount[];
  readonly tokens: OAuthTokens;
  readonly faults: FaultInjector;
  readonly requestLog: RequestLog;
  readonly logRequests: boolean;
  /** Lower-cased user_names of the sys_user records no API account may change. */
  readonly writeProtected: ReadonlySet<string>;
  /** Puts the records back to what the emulator started with. */
  reset(): void;
}

/** The default API account of a new emulator. */
export const defaultAccounts: readonly EmulatorAccount[] = [{ userName: 'admin', password: 'admin' }];

/** The default OAuth application of a new emulator. */
export const defaultOAuthClients: readonly EmulatorOAuthClient[] = [
  { clientId: 'emulator', clientSecret: 'emulator' },
];

/** Builds the state of a new emulator and loads its records. */
export function createEmulatorState(options: EmulatorOptions): EmulatorState {
  const database = new EmulatorDatabase();
  const reset = (): void => loadSeed(database, options.seed ?? 'default', options.records ?? []);
  reset();

  const accounts = options.accounts ?? defaultAccounts;
  const lifetimeMs = (options.tokenLifetimeSeconds ?? 1800) * 1000;
  return {
    database,
    accounts,
    tokens: new OAuthTokens(options.oauthClients ?? defaultOAuthClients, accounts, lifetimeMs),
    faults: new FaultInjector(options.faults),
    requestLog: new RequestLog(),
    logRequests: options.logRequests ?? false,
    writeProtected: new Set((options.writeProtected ?? []).map((name) => name.toLowerCase())),
    reset,
  };
}
