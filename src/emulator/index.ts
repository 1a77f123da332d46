/**
 * An HTTP emulator of the ServiceNow REST Table API, for trying the product without an instance
 * and for testing it against a faithful target. It stands alone: nothing here imports the product.
 */
export { startEmulator } from './server.js';
export { runEmulatorCli } from './cli.js';
export type {
  EmulatorAccount,
  EmulatorOAuthClient,
  EmulatorOptions,
  FaultKind,
  FaultSettings,
  RequestLogEntry,
  RunningEmulator,
} from './types.js';
