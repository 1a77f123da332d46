import type { Row, RowLookup } from './field-path.js';
import { resolveField } from './field-path.js';
import type { FieldSpec, TableSpec } from './tables.js';
import { tableSpec } from './tables.js';

/** `sysparm_display_value`: stored values, display values, or both. */
export type DisplayValueMode = 'false' | 'true' | 'all';

/** How the client asked for records to be written out. */
export interface OutputOptions {
  /** `sysparm_fields`, possibly dot-walked; undefined for every column. */
  readonly fields: readonly string[] | undefined;
  readonly displayValue: DisplayValueMode;
  readonly excludeReferenceLink: boolean;
  /** Scheme and host the client used, for reference links. */
  readonly baseUrl: string;
}

/** A rendered value: a string, or an object for references and `sysparm_display_value=all`. */
export type OutputValue = string | Record<string, string>;

/** A row as the Table API writes it out: every value a string, references with their link. */
export function renderRow(
  table: TableSpec,
  row: Row,
  options: OutputOptions,
  lookup: RowLookup,
): Record<string, OutputValue> {
  const output: Record<string, OutputValue> = {};
  for (const path of options.fields ?? Object.keys(table.fields)) {
    const resolved = resolveField(table, row, path, lookup);
    if (resolved !== undefined) output[path] = renderValue(resolved.spec, resolved.value, options, lookup);
  }
  return output;
}

function renderValue(spec: FieldSpec, value: string, options: OutputOptions, lookup: RowLookup): OutputValue {
  const target = spec.reference === undefined || value === '' ? undefined : tableSpec(spec.reference);
  if (target === undefined) return pick(options.displayValue, value, displayText(spec, value));

  const targetRow = lookup(target.name, value);
  const display = targetRow === undefined ? '' : (targetRow[target.displayField] ?? '');
  const link = `${options.baseUrl}/api/now/table/${target.name}/${value}`;
  const withLink = (fields: Record<string, string>): Record<string, string> =>
    options.excludeReferenceLink ? fields : { ...fields, link };

  switch (options.displayValue) {
    case 'false':
      return options.excludeReferenceLink ? value : { link, value };
    case 'true':
      return options.excludeReferenceLink ? display : { display_value: display, link };
    case 'all':
      return withLink({ display_value: display, value });
  }
}

function pick(mode: DisplayValueMode, value: string, display: string): OutputValue {
  if (mode === 'all') return { display_value: display, value };
  return mode === 'true' ? display : value;
}

// Integers display with thousands separators, as in the instance's default (en) locale.
function displayText(spec: FieldSpec, value: string): string {
  if (spec.type !== 'integer' || value === '') return value;
  return Number(value).toLocaleString('en-US');
}
