import { randomUUID } from 'node:crypto';
import { storedValue, truncate } from './field-input.js';
import type { EncodedQuery, QueryCondition } from './encoded-query.js';
import type { Row } from './field-path.js';
import type { TableSpec } from './tables.js';
import { tables, UnknownTableError } from './tables.js';
import { glideDateTime } from './time.js';
import { UniqueIndex } from './unique-index.js';
import { applyWriteRules } from './write-rules.js';

/** A write refused because it would give two rows the same value in a unique column (user_name). */
export class DuplicateValueError extends Error {
  readonly code = 'EMULATOR_DUPLICATE_VALUE';

  constructor(
    readonly table: string,
    readonly operation: 'insert' | 'update',
    /** Display value of the refused record, as the instance names it in its answer. */
    readonly display: string,
  ) {
    super(`Error during ${operation} of ${table} (${display})`);
    this.name = 'DuplicateValueError';
  }
}

/** Who writes and whether platform columns (sys_id, sys_created_on...) may be set, as seed loading does. */
export interface WriteContext {
  readonly actor: string;
  readonly trusted?: boolean;
}

const sysIdPattern = /^[0-9a-f]{32}$/;

/** The emulated instance's rows, per table, in insertion order. */
export class EmulatorDatabase {
  private readonly rows = new Map<string, Map<string, Row>>();
  private readonly indexes = new Map<string, UniqueIndex>();
  /** Each table's sys_ids in order, made when a keyset page needs it and dropped by an insert or delete. */
  private readonly sysIdOrder = new Map<string, string[]>();

  constructor() {
    this.clear();
  }

  /** Removes every row of every table. */
  clear(): void {
    for (const [name, spec] of tables) {
      this.rows.set(name, new Map());
      this.indexes.set(name, new UniqueIndex(spec.uniqueFields));
    }
    this.sysIdOrder.clear();
  }

  /** All rows of a table, oldest first. */
  list(table: TableSpec): Row[] {
    return [...this.tableRows(table).values()];
  }

  /**
   * The rows a query can match when every row it selects must hold one value in a unique column
   * (`user_name=jsmith^...`): only the row that holds it, from the index. Undefined when the query
   * names no such value. The caller still applies the whole query: this only saves scanning a big
   * table for one user.
   */
  indexedCandidates(table: TableSpec, query: EncodedQuery): Row[] | undefined {
    const index = this.index(table);
    const [only, ...others] = query.alternatives;
    const key = others.length === 0 ? only?.find((term) => isUniqueEquality(term, index)) : undefined;
    if (key === undefined) return undefined;

    const sysId = index.owner(key[0]!.field, key[0]!.value);
    const row = sysId === undefined ? undefined : this.tableRows(table).get(sysId);
    return row === undefined ? [] : [row];
  }

  /**
   * The table's rows in sys_id order, from the first above `start.after` (or equal to it when
   * `inclusive`), as an instance walks its sys_id index. The order is sorted once and kept until a
   * row is added or removed, so paging through a table costs the rows read, not a sort per page
   * (a scan while rows are being added sorts again at each page: tests never page at that size).
   */
  *rowsBySysId(table: TableSpec, start: { after?: string; inclusive: boolean }): Generator<Row> {
    const rows = this.tableRows(table);
    const order = this.sortedSysIds(table.name, rows);
    let index = start.after === undefined ? 0 : firstAtOrAbove(order, start.after);
    if (!start.inclusive && order[index]?.toLowerCase() === start.after) index += 1;

    for (; index < order.length; index++) {
      const row = rows.get(order[index]!);
      if (row !== undefined) yield row;
    }
  }

  /** One row by sys_id. */
  get(tableName: string, sysId: string): Row | undefined {
    return this.rows.get(tableName)?.get(sysId);
  }

  /** Adds a row from client input: unknown and read-only columns ignored, defaults filled in. */
  insert(table: TableSpec, input: Record<string, unknown>, context: WriteContext): Row {
    const now = glideDateTime();
    const row: Row = {};
    for (const [name, spec] of Object.entries(table.fields)) row[name] = spec.defaultValue ?? '';
    this.assign(table, row, input, context.trusted === true);

    const given = (field: string): string | undefined =>
      context.trusted ? row[field] || undefined : undefined;
    const sysId = given('sys_id') ?? randomUUID().replaceAll('-', '');
    const createdOn = given('sys_created_on') ?? now;
    row.sys_id = sysId;
    row.sys_created_on = createdOn;
    row.sys_updated_on = given('sys_updated_on') ?? createdOn;
    row.sys_created_by = given('sys_created_by') ?? context.actor;
    row.sys_updated_by = given('sys_updated_by') ?? context.actor;
    row.sys_mod_count = given('sys_mod_count') ?? '0';
    applyWriteRules(table, row, undefined);

    this.assertUnique(table, row, 'insert');
    this.tableRows(table).set(sysId, row);
    this.sysIdOrder.delete(table.name);
    this.index(table).add(row);
    return row;
  }

  /**
   * Changes a row from client input; undefined when there is no such row.
   *
   * An update that changes no value is not written at all, as on an instance (GlideRecord skips the
   * database write unless forced with setForceUpdate), so it leaves sys_mod_count and sys_updated_on
   * as they were; the API still answers 200 with the record.
   */
  update(
    table: TableSpec,
    sysId: string,
    input: Record<string, unknown>,
    context: WriteContext,
  ): Row | undefined {
    const previous = this.tableRows(table).get(sysId);
    if (previous === undefined) return undefined;

    const next: Row = { ...previous };
    this.assign(table, next, input, false);
    applyWriteRules(table, next, previous);
    if (Object.keys(next).every((field) => next[field] === previous[field])) return previous;

    this.assertUnique(table, next, 'update');
    next.sys_updated_on = glideDateTime();
    next.sys_updated_by = context.actor;
    next.sys_mod_count = String(Number(previous.sys_mod_count || '0') + 1);
    this.tableRows(table).set(sysId, next);
    this.index(table).remove(previous);
    this.index(table).add(next);
    return next;
  }

  /** Removes a row; false when there was none. */
  delete(table: TableSpec, sysId: string): boolean {
    const row = this.tableRows(table).get(sysId);
    if (row === undefined) return false;

    this.tableRows(table).delete(sysId);
    this.sysIdOrder.delete(table.name);
    this.index(table).remove(row);
    return true;
  }

  /** What a reference to the row shows: its display column. */
  displayValue(table: TableSpec, row: Row): string {
    return row[table.displayField] ?? '';
  }

  private assign(table: TableSpec, row: Row, input: Record<string, unknown>, trusted: boolean): void {
    for (const [name, raw] of Object.entries(input)) {
      const spec = Object.hasOwn(table.fields, name) ? table.fields[name] : undefined;
      if (spec === undefined || (spec.readOnly === true && !trusted)) continue;

      const value = storedValue(spec, raw);
      if (value === undefined) continue;
      row[name] = spec.reference === undefined ? value : this.referenceValue(spec.reference, value);
    }
  }

  // A reference may be written as a sys_id or as the target's display value, which the instance looks up.
  private referenceValue(targetName: string, value: string): string {
    const target = tables.get(targetName);
    if (value === '' || sysIdPattern.test(value) || target === undefined) return truncate(value, 32);

    const wanted = value.toLowerCase();
    const match = this.list(target).find((row) => this.displayValue(target, row).toLowerCase() === wanted);
    return match?.sys_id ?? truncate(value, 32);
  }

  private assertUnique(table: TableSpec, row: Row, operation: 'insert' | 'update'): void {
    if (this.index(table).clash(row) === undefined) return;
    throw new DuplicateValueError(table.name, operation, this.displayValue(table, row));
  }

  // The sys_ids as stored, in the order of their lower-cased form, which is how queries compare them.
  private sortedSysIds(tableName: string, rows: Map<string, Row>): string[] {
    const cached = this.sysIdOrder.get(tableName);
    if (cached !== undefined) return cached;

    const order = [...rows.keys()].sort((a, b) => compareText(a.toLowerCase(), b.toLowerCase()));
    this.sysIdOrder.set(tableName, order);
    return order;
  }

  private index(table: TableSpec): UniqueIndex {
    const index = this.indexes.get(table.name);
    if (index === undefined) throw new UnknownTableError(table.name);
    return index;
  }

  private tableRows(table: TableSpec): Map<string, Row> {
    const rows = this.rows.get(table.name);
    if (rows === undefined) throw new UnknownTableError(table.name);
    return rows;
  }
}

// A term of one `field=value` condition on an indexed column, without a dotted path or an OR.
function isUniqueEquality(term: readonly QueryCondition[], index: UniqueIndex): boolean {
  const [condition, ...others] = term;
  return (
    others.length === 0 &&
    condition !== undefined &&
    condition.operator === '=' &&
    condition.value !== '' &&
    index.covers(condition.field)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The position of the first sys_id not below `key` (lower-cased) in a sorted list. */
function firstAtOrAbove(order: readonly string[], key: string): number {
  let low = 0;
  let high = order.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (order[middle]!.toLowerCase() < key) low = middle + 1;
    else high = middle;
  }
  return low;
}
