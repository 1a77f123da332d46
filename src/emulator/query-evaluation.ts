import type { EncodedQuery, QueryCondition, QueryOrder } from './encoded-query.js';
import type { Row, RowLookup } from './field-path.js';
import { fieldAt, resolveField } from './field-path.js';
import type { FieldSpec, TableSpec } from './tables.js';

type Predicate = (row: Row) => boolean;

/**
 * The rows a query selects, in its order. A condition or ordering on a column the table does not
 * have is dropped silently, as the instance does, so such a query selects more rows, not fewer.
 */
export function selectRows(table: TableSpec, rows: Row[], query: EncodedQuery, lookup: RowLookup): Row[] {
  const alternatives = query.alternatives.map((terms) =>
    terms
      .map((term) => term.flatMap((condition) => compileCondition(table, condition, lookup) ?? []))
      .filter((term) => term.length > 0),
  );
  const selected = rows.filter((row) =>
    alternatives.some((terms) => terms.every((term) => term.some((holds) => holds(row)))),
  );

  const orders = query.orderBy.filter((order) => fieldAt(table, order.field) !== undefined);
  return orders.length === 0 ? selected : sortRows(table, selected, orders, lookup);
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

function sortRows(table: TableSpec, rows: Row[], orders: QueryOrder[], lookup: RowLookup): Row[] {
  const keys = orders.map(({ field, descending }) => ({
    spec: fieldAt(table, field) as FieldSpec,
    read: valueReader(table, field, lookup),
    direction: descending ? -1 : 1,
  }));

  return [...rows].sort((left, right) => {
    for (const { spec, read, direction } of keys) {
      const result = order(spec, read(left).toLowerCase(), read(right).toLowerCase());
      if (result !== 0) return result * direction;
    }
    return 0;
  });
}

// Empty values sort first, as NULLs do; integers compare as numbers, everything else as text.
function order(spec: FieldSpec, left: string, right: string): number {
  if (left === right) return 0;
  if (left === '' || right === '') return left === '' ? -1 : 1;
  if (spec.type === 'integer') return Number(left) - Number(right);
  return left < right ? -1 : 1;
}
