import type { Row } from './field-path.js';

/**
 * The owners of the values of a table's unique columns, compared case-insensitively, so a clash is
 * found without scanning the table. Empty values are not indexed: they never clash, like NULLs.
 */
export class UniqueIndex {
  private readonly owners = new Map<string, string>();

  constructor(private readonly fields: readonly string[]) {}

  /** The first unique column whose value another row already holds. */
  clash(row: Row): string | undefined {
    return this.fields.find((field) => {
      const owner = this.owners.get(key(field, row));
      return owner !== undefined && owner !== row.sys_id;
    });
  }

  /** The sys_id of the row whose `field` equals `value` case-insensitively, if `field` is indexed. */
  owner(field: string, value: string): string | undefined {
    if (!this.fields.includes(field)) return undefined;
    return this.owners.get(`${field}\u0000${value.toLowerCase()}`);
  }

  /** True when `field` is one of the indexed columns. */
  covers(field: string): boolean {
    return this.fields.includes(field);
  }

  add(row: Row): void {
    for (const field of this.fields) if (row[field]) this.owners.set(key(field, row), row.sys_id ?? '');
  }

  remove(row: Row): void {
    for (const field of this.fields) if (row[field]) this.owners.delete(key(field, row));
  }
}

function key(field: string, row: Row): string {
  return `${field}\u0000${(row[field] ?? '').toLowerCase()}`;
}
