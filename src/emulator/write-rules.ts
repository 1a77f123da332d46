import type { Row } from './field-path.js';
import { truncate } from './field-input.js';
import type { TableSpec } from './tables.js';

/**
 * What the instance's own business rules do to a row being written: `sys_user.name` is calculated
 * from first and last name, and a user made inactive is locked out (reactivating does not unlock).
 */
export function applyWriteRules(table: TableSpec, row: Row, previous: Row | undefined): void {
  if (table.name !== 'sys_user') return;

  const parts = [row.first_name, row.last_name].map((part) => (part ?? '').trim()).filter((p) => p !== '');
  row.name = truncate(parts.join(' '), 151);

  if (row.active === 'false' && previous?.active !== 'false') row.locked_out = 'true';
}
