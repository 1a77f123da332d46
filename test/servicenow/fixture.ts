import { startEmulator } from '../../src/emulator/index.js';
import type { EmulatorOptions, RunningEmulator } from '../../src/emulator/index.js';
import { Secret } from '../../src/config/secret.js';
import { ServiceNowClient, type ServiceNowClientOptions } from '../../src/servicenow/client.js';
import type { ServiceNowSettings } from '../../src/servicenow/types.js';

/** The integration account's password: tests look for it in every error they can provoke. */
export const apiPassword = 'Tr0ub4dor&3-integration';
export const apiUser = 'svc.provisioning';

/** The mapped fields the tests read. */
export const mapped = ['first_name', 'last_name', 'email'] as const;

const running = new Set<RunningEmulator>();

/** Starts an emulator (empty unless told otherwise) that `stopEmulators` closes. */
export async function emulatorFor(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emulator = await startEmulator({
    seed: 'none',
    accounts: [{ userName: apiUser, password: apiPassword }],
    ...options,
  });
  running.add(emulator);
  return emulator;
}

/** Closes every emulator started by `emulatorFor`; for `afterEach`. */
export async function stopEmulators(): Promise<void> {
  await Promise.all([...running].map((emulator) => emulator.close()));
  running.clear();
}

/** Client settings for `emulator` with basic auth, as the config loader would produce them. */
export function settingsFor(
  emulator: Pick<RunningEmulator, 'url'>,
  overrides: Partial<ServiceNowSettings> = {},
): ServiceNowSettings {
  return {
    instanceUrl: emulator.url,
    auth: { type: 'basic', username: apiUser, password: new Secret(apiPassword, 'test') },
    pageSize: 100,
    maxConcurrency: 8,
    timeout: '10s',
    caFile: undefined,
    verifyCertificate: true,
    requestsPerSecond: undefined,
    ...overrides,
  };
}

/** A client of `emulator` with basic auth. */
export function clientFor(
  emulator: Pick<RunningEmulator, 'url'>,
  overrides: Partial<ServiceNowSettings> = {},
  options: ServiceNowClientOptions = {},
): ServiceNowClient {
  return new ServiceNowClient(settingsFor(emulator, overrides), options);
}

let people = 0;

/** A new sys_user record to seed, unique within the run. */
export function person(overrides: Record<string, string | boolean> = {}): Record<string, string | boolean> {
  people += 1;
  return {
    user_name: `person.${people}`,
    first_name: 'Pat',
    last_name: `Person${people}`,
    email: `person.${people}@example.com`,
    ...overrides,
  };
}

/** A new user for createUser, unique within the run. */
export function newUser(
  overrides: { userName?: string; active?: boolean; fields?: Record<string, string> } = {},
) {
  people += 1;
  return {
    userName: overrides.userName ?? `new.person.${people}`,
    active: overrides.active ?? true,
    fields: overrides.fields ?? {
      first_name: 'New',
      last_name: `Person${people}`,
      email: `n${people}@example.com`,
    },
  };
}

/** The rejection of `promise`, which must reject. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, and it succeeded');
}

/** Every page of an async generator, collected. */
export async function allPages<T>(pages: AsyncGenerator<T[]>): Promise<T[][]> {
  const result: T[][] = [];
  for await (const page of pages) result.push(page);
  return result;
}
