import type { EncodedQuery, QueryCondition, QueryOrder } from './encoded-query.js';
import type { Row, RowLookup } from './field-path.js';
import { fieldAt, resolveField } from './field-path.js';
import type { FieldSpec, TableSpec } from './tables.js';

type Predicate = (row: Row) => boolean;

/**
 * The rows a query selects, in its order. A condition or ordering on a column the table does not
 * have is dropped silently, as the instance does, so such a query selects more rows, not fewer.
 */
export function selectRows(
  table: TableSpec,
  rows: Row[],
  query: EncodedQuery,
  lookup: RowLookup,
  /** Only the first this many rows in order are wanted (offset + limit); the rest come unsorted. */
  needed = Number.POSITIVE_INFINITY,
): Row[] {
  const selected = rows.filter(compileQuery(table, query, lookup));
  const orders = query.orderBy.filter((order) => fieldAt(table, order.field) !== undefined);
  return orders.length === 0 ? selected : sortRows(table, selected, orders, lookup, needed);
}

/**
 * The first `count` rows a query selects from rows already in the query's order: it stops reading
 * as soon as it has them, so a keyset page costs the rows it passes, not the whole table.
 */
export function firstSelectedRows(
  table: TableSpec,
  ordered: Iterable<Row>,
  query: EncodedQuery,
  lookup: RowLookup,
  count: number,
): Row[] {
  const holds = compileQuery(table, query, lookup);
  const rows: Row[] = [];
  if (count <= 0) return rows;
  for (const row of ordered) {
    if (!holds(row)) continue;
    rows.push(row);
    if (rows.length >= count) break;
  }
  return rows;
}

/**
 * Where a keyset page in sys_id order starts: the query is ordered by sys_id first, ascending, and
 * is one conjunction whose `sys_id>X` (or `>=`) term, if any, is its lower bound. Undefined for any
 * other query, which is answered by filtering and sorting the whole table.
 */
export function sysIdKeysetStart(query: EncodedQuery): { after?: string; inclusive: boolean } | undefined {
  const [first] = query.orderBy;
  if (first?.field !== 'sys_id' || first.descending || query.alternatives.length !== 1) return undefined;

  const bounds = (query.alternatives[0] ?? [])
    .filter((term) => term.length === 1)
    .map(([condition]) => condition!)
    .filter((c) => c.field === 'sys_id' && (c.operator === '>' || c.operator === '>=') && c.value !== '');
  const highest = bounds.reduce<(typeof bounds)[number] | undefined>((best, bound) => {
    const value = bound.value.toLowerCase();
    const bestValue = best?.value.toLowerCase();
    if (best === undefined || value > bestValue!) return bound;
    return value === bestValue && bound.operator === '>' ? bound : best;
  }, undefined);
  if (highest === undefined) return { inclusive: true };
  return { after: highest.value.toLowerCase(), inclusive: highest.operator === '>=' };
}

/** One predicate for the whole query: any alternative whose every term has a condition that holds. */
function compileQuery(table: TableSpec, query: EncodedQuery, lookup: RowLookup): Predicate {
  const alternatives = query.alternatives.map((terms) =>
    terms
      .map((term) => term.flatMap((condition) => compileCondition(table, condition, lookup) ?? []))
      .filter((term) => term.length > 0),
  );
  return (row) => alternatives.some((terms) => terms.every((term) => term.some((holds) => holds(row))));
}

// Compiled once per request: a list of ten thousand users is filtered without re-reading the query.
function compileCondition(
  table: TableSpec,
  condition: QueryCondition,
  lookup: RowLookup,
): Predicate | undefined {
  const spec = fieldAt(table, condition.field);
  if (spec === undefined) return undefined;

  const read = valueReader(table, condition.field, lookup);
  const test = comparison(spec, condition);
  return (row) => test(read(row).toLowerCase());
}

function valueReader(table: TableSpec, path: string, lookup: RowLookup): (row: Row) => string {
  if (!path.includes('.')) return (row) => row[path] ?? '';
  return (row) => resolveField(table, row, path, lookup)?.value ?? '';
}

// Values compare case-insensitively, as on an instance's case-insensitive database collation.
function comparison(spec: FieldSpec, condition: QueryCondition): (value: string) => boolean {
  const wanted = condition.value.toLowerCase();
  const list = new Set(wanted.split(','));
  const ordered = (accept: (order: number) => boolean) => (value: string) =>
    value !== '' && accept(order(spec, value, wanted));

  switch (condition.operator) {
    case '=':
      return (value) => value === wanted;
    case '!=':
      return (value) => value !== wanted;
    case 'LIKE':
      return (value) => value.includes(wanted);
    case 'NOTLIKE':
      return (value) => !value.includes(wanted);
    case 'STARTSWITH':
      return (value) => value.startsWith(wanted);
    case 'ENDSWITH':
      return (value) => value.endsWith(wanted);
    case 'IN':
      return (value) => list.has(value);
    case 'NOT IN':
      return (value) => !list.has(value);
    case 'ISEMPTY':
      return (value) => value === '';
    case 'ISNOTEMPTY':
      return (value) => value !== '';
    case '<':
      return ordered((result) => result < 0);
    case '<=':
      return ordered((result) => result <= 0);
    case '>':
      return ordered((result) => result > 0);
    case '>=':
      return ordered((result) => result >= 0);
  }
}

function sortRows(
  table: TableSpec,
  rows: Row[],
  orders: QueryOrder[],
  lookup: RowLookup,
  needed: number,
): Row[] {
  const keys = orders.map(({ field, descending }) => ({
    spec: fieldAt(table, field) as FieldSpec,
    read: valueReader(table, field, lookup),
    direction: descending ? -1 : 1,
  }));

  // Each row's sort values are read once, not at every comparison: keyset paging sorts what is left
  // of a large table for every page, and reading a value (a dot-walk, a lower-casing) dominated that.
  const decorated = rows.map((row, index) => ({
    row,
    index,
    values: keys.map(({ read }) => read(row).toLowerCase()),
  }));
  type Decorated = (typeof decorated)[number];
  const compare = (left: Decorated, right: Decorated): number => {
    for (let i = 0; i < keys.length; i++) {
      const { spec, direction } = keys[i]!;
      const result = order(spec, left.values[i]!, right.values[i]!);
      if (result !== 0) return result * direction;
    }
    return left.index - right.index;
  };
  if (!(needed < decorated.length)) return decorated.sort(compare).map(({ row }) => row);

  // A page of a large table: keep the first `needed` rows in a heap and sort only those, then the
  // rest in any order (the caller slices them off, but still counts them for X-Total-Count).
  const first = smallest(decorated, compare, needed);
  const taken = new Set(first.map(({ index }) => index));
  return [...first.map(({ row }) => row), ...rows.filter((_, index) => !taken.has(index))];
}

/** The `count` smallest items by `compare`, sorted: a bounded max-heap, one comparison for most items. */
function smallest<T>(items: readonly T[], compare: (a: T, b: T) => number, count: number): T[] {
  const heap: T[] = [];
  const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j]!, heap[i]!]);
  const siftDown = (start: number) => {
    for (let i = start; ;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let largest = i;
      if (left < heap.length && compare(heap[left]!, heap[largest]!) > 0) largest = left;
      if (right < heap.length && compare(heap[right]!, heap[largest]!) > 0) largest = right;
      if (largest === i) return;
      swap(i, largest);
      i = largest;
    }
  };
  for (const item of items) {
    if (heap.length < count) {
      heap.push(item);
      for (let i = heap.length - 1; i > 0;) {
        const parent = (i - 1) >> 1;
        if (compare(heap[i]!, heap[parent]!) <= 0) break;
        swap(i, parent);
        i = parent;
      }
    } else if (count > 0 && compare(item, heap[0]!) < 0) {
      heap[0] = item;
      siftDown(0);
    }
  }
  return heap.sort(compare);
}

// Empty values sort first, as NULLs do; integers compare as numbers, everything else as text.
function order(spec: FieldSpec, left: string, right: string): number {
  if (left === right) return 0;
  if (left === '' || right === '') return left === '' ? -1 : 1;
  if (spec.type === 'integer') return Number(left) - Number(right);
  return left < right ? -1 : 1;
}
