import type { FieldSpec } from './tables.js';

/**
 * The stored form of a value a client sent for a column, or undefined when the value cannot be
 * stored (an object or array) and is ignored like an unknown field.
 */
export function storedValue(spec: FieldSpec, raw: unknown): string | undefined {
  if (raw === null) return '';
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') return undefined;

  const value = String(raw);
  switch (spec.type) {
    case 'boolean':
      return ['true', '1'].includes(value.trim().toLowerCase()) ? 'true' : 'false';
    case 'integer':
      return storedInteger(value);
    default:
      return spec.maxLength === undefined ? value : truncate(value, spec.maxLength);
  }
}

/** Cuts a value to a column length counted in characters, the way the database column does. */
export function truncate(value: string, maxLength: number): string {
  const characters = Array.from(value);
  return characters.length <= maxLength ? value : characters.slice(0, maxLength).join('');
}

function storedInteger(value: string): string {
  const trimmed = value.trim();
  if (trimmed === '') return '';

  const parsed = Number(trimmed);
  return Number.isFinite(parsed) ? String(Math.trunc(parsed)) : '';
}
