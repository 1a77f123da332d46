/** The directory side of the product: reading who is in scope, completely or not at all. */
export { readDirectoryScope, type DirectoryQuery } from './read-scope.js';
export { scopeReading, type ScopeReading } from './scope-reading.js';
export { DirectoryError, type DirectoryErrorCode } from './errors.js';
export { normalizeDn } from './dn.js';
export { escapeFilterValue } from './filter.js';
export { objectGuidToString } from './object-guid.js';
export type { DirectoryScope, DirectorySettings, DirectoryUser, SkippedEntry } from './types.js';
