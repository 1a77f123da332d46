import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { allSearchAttributes } from '../workflows/definitions.js';

// The proto package is CommonJS without named exports Node can detect: take its default export.
const { IndexedValueType } = proto.temporal.api.enums.v1;

/** The index type Temporal reports for each kind of search attribute the product defines. */
export const indexedType = {
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  KEYWORD_LIST: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
} as const;

/**
 * Registers the product's search attributes on the namespace if any is missing. Idempotent: run at
 * every worker start and by `provisioner setup-temporal` against any Temporal server.
 * Returns the names it added.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = allSearchAttributes.filter((key) => !known.has(key.name));
  if (missing.length === 0) return [];

  const searchAttributes = Object.fromEntries(missing.map((key) => [key.name, indexedType[key.type]]));
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  return missing.map((key) => key.name);
}

/** `--search-attribute Name=Type` arguments that make `temporal server start-dev` register them at start. */
export function devServerSearchAttributeArgs(): string[] {
  const cliType: Record<keyof typeof indexedType, string> = {
    KEYWORD: 'Keyword',
    KEYWORD_LIST: 'KeywordList',
    DATETIME: 'Datetime',
  };
  return allSearchAttributes.flatMap((key) => ['--search-attribute', `${key.name}=${cliType[key.type]}`]);
}
