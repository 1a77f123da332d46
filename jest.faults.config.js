import base from './jest.config.js';

/**
 * The fault suite (`npm run test:faults`): each case kills or cuts off a real component while the
 * product runs, then compares ServiceNow with the expected state. Slow, so not part of `npm run jest`.
 */
/** @type {import('jest').Config} */
export default {
  ...base,
  roots: ['<rootDir>/test/faults'],
  testPathIgnorePatterns: [],
  globalSetup: '<rootDir>/test/faults/global-setup.ts',
  globalTeardown: '<rootDir>/test/faults/global-teardown.ts',
  testTimeout: 15 * 60_000,
};
