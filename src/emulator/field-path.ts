import type { FieldSpec, TableSpec } from './tables.js';
import { tableSpec } from './tables.js';

/** A row as stored: every column a string, references as the target's sys_id. */
export type Row = Record<string, string>;

/** Finds a row of a table by sys_id; how paths follow references. */
export type RowLookup = (table: string, sysId: string) => Row | undefined;

/** The column a dotted path ends on, and its value for one row. */
export interface ResolvedField {
  readonly spec: FieldSpec;
  readonly value: string;
}

/**
 * The column a path names, following references (`department.name`), or undefined when a part of
 * the path is not a column or a part before the last is not a reference.
 */
export function fieldAt(table: TableSpec, path: string): FieldSpec | undefined {
  const [head, ...rest] = path.split('.');
  const spec = head === undefined ? undefined : table.fields[head];
  if (spec === undefined || rest.length === 0) return spec;

  const target = spec.reference === undefined ? undefined : tableSpec(spec.reference);
  return target === undefined ? undefined : fieldAt(target, rest.join('.'));
}

/**
 * The value of a path for one row, following references; an empty reference on the way gives an
 * empty value. Undefined when the path names no column.
 */
export function resolveField(
  table: TableSpec,
  row: Row,
  path: string,
  lookup: RowLookup,
): ResolvedField | undefined {
  const [head, ...rest] = path.split('.');
  const spec = head === undefined ? undefined : table.fields[head];
  if (spec === undefined) return undefined;

  const value = row[head as string] ?? '';
  if (rest.length === 0) return { spec, value };

  const target = spec.reference === undefined ? undefined : tableSpec(spec.reference);
  if (target === undefined) return undefined;

  const next = value === '' ? undefined : lookup(target.name, value);
  if (next === undefined) {
    const end = fieldAt(target, rest.join('.'));
    return end === undefined ? undefined : { spec: end, value: '' };
  }
  return resolveField(target, next, rest.join('.'), lookup);
}
