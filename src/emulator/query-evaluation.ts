import type { EncodedQuery, QueryCondition, QueryOrder } from './encoded-query.js';
import type { Row, RowLookup } from './field-path.js';
import { fieldAt, resolveField } from './field-path.js';
import type { FieldSpec, TableSpec } from './tables.js';

/**
 * The rows a query selects, in its order. A condition or ordering on a column the table does not
 * have is dropped silently, as the instance does, so such a query selects more rows, not fewer.
 */
export function selectRows(table: TableSpec, rows: Row[], query: EncodedQuery, lookup: RowLookup): Row[] {
  const known = (condition: QueryCondition): boolean => fieldAt(table, condition.field) !== undefined;
  const alternatives = query.alternatives.map((terms) =>
    terms.map((term) => term.filter(known)).filter((term) => term.length > 0),
  );
  const holds = (row: Row, condition: QueryCondition): boolean => {
    const resolved = resolveField(table, row, condition.field, lookup);
    return resolved !== undefined && compare(resolved.spec, resolved.value, condition);
  };
  const selected = rows.filter((row) =>
    alternatives.some((terms) => terms.every((term) => term.some((condition) => holds(row, condition)))),
  );

  const orders = query.orderBy.filter((order) => fieldAt(table, order.field) !== undefined);
  return orders.length === 0 ? selected : sortRows(table, selected, orders, lookup);
}

// Values compare case-insensitively, as on an instance's case-insensitive database collation.
function compare(spec: FieldSpec, actual: string, condition: QueryCondition): boolean {
  const value = actual.toLowerCase();
  const wanted = condition.value.toLowerCase();

  switch (condition.operator) {
    case '=':
      return value === wanted;
    case '!=':
      return value !== wanted;
    case 'LIKE':
      return value.includes(wanted);
    case 'NOTLIKE':
      return !value.includes(wanted);
    case 'STARTSWITH':
      return value.startsWith(wanted);
    case 'ENDSWITH':
      return value.endsWith(wanted);
    case 'IN':
      return wanted.split(',').includes(value);
    case 'NOT IN':
      return !wanted.split(',').includes(value);
    case 'ISEMPTY':
      return value === '';
    case 'ISNOTEMPTY':
      return value !== '';
    case '<':
      return value !== '' && order(spec, value, wanted) < 0;
    case '<=':
      return value !== '' && order(spec, value, wanted) <= 0;
    case '>':
      return value !== '' && order(spec, value, wanted) > 0;
    case '>=':
      return value !== '' && order(spec, value, wanted) >= 0;
  }
}

function sortRows(table: TableSpec, rows: Row[], orders: QueryOrder[], lookup: RowLookup): Row[] {
  const key = (row: Row, field: string): string =>
    (resolveField(table, row, field, lookup)?.value ?? '').toLowerCase();

  return [...rows].sort((left, right) => {
    for (const { field, descending } of orders) {
      const spec = fieldAt(table, field) as FieldSpec;
      const result = order(spec, key(left, field), key(right, field));
      if (result !== 0) return descending ? -result : result;
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
