import { FilterParser, type Filter } from 'ldapts';
import { DirectoryError } from './errors.js';

/**
 * Escapes a value for an LDAP filter (RFC 4515): `*`, `(`, `)`, `\` and NUL become `\2a`, `\28`,
 * `\29`, `\5c`, `\00`. Other characters, non-ASCII included, stay as they are: RFC 4515 allows UTF-8
 * in values, and ldapts would mangle escaped UTF-8 bytes (see parseFilter).
 */
export function escapeFilterValue(value: string): string {
  return value.replace(/[*()\\\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** `(&a b …)` of the given filters, leaving out empty ones; a single filter stays as it is. */
export function andFilters(...filters: Array<string | undefined>): string {
  const parts = filters.filter((f): f is string => f !== undefined && f.trim() !== '').map(parenthesize);
  if (parts.length === 1) return parts[0]!;
  return `(&${parts.join('')})`;
}

/**
 * Parses a filter for ldapts. ldapts 8.2.0 decodes each `\xx` escape to one UTF-16 unit, so `\c3\a9`
 * would go out as two wrong characters instead of `é`: escaped UTF-8 sequences are decoded here
 * first. Escaped bytes that are not UTF-8 (binary values) cannot be sent correctly and are refused.
 * Throws DirectoryError('bad-filter').
 */
export function parseFilter(filter: string): Filter {
  const text = parenthesize(filter);
  try {
    return FilterParser.parseString(decodeEscapedUtf8(text));
  } catch (error) {
    if (error instanceof DirectoryError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new DirectoryError('bad-filter', `invalid LDAP filter ${text}: ${detail}`, { cause: error });
  }
}

function parenthesize(filter: string): string {
  const text = filter.trim();
  return text.startsWith('(') ? text : `(${text})`;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeEscapedUtf8(filter: string): string {
  return filter.replace(/(?:\\[89a-fA-F][0-9a-fA-F])+/g, (run) => {
    try {
      const decoded = utf8.decode(Buffer.from(run.replace(/\\/g, ''), 'hex'));
      // A decoded character that is special in a filter must stay escaped.
      return escapeFilterValue(decoded);
    } catch (error) {
      throw new DirectoryError(
        'bad-filter',
        `invalid LDAP filter ${filter}: the escaped bytes ${run} are not UTF-8 text, which this client cannot send`,
        { cause: error },
      );
    }
  });
}
