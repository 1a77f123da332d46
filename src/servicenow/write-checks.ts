import type { Logger } from '../log.js';
import { ServiceNowError } from './errors.js';
import { managedFields } from './records.js';
import type { ServiceNowUser } from './types.js';

const fieldNamePattern = /^[a-z][a-z0-9_]*$/;

/**
 * Field names as they go into sysparm_fields: checked (a comma or dot in a name would ask for
 * something else) and without repeats or the fields the client reads anyway.
 */
export function fieldList(operation: string, fields: readonly string[]): readonly string[] {
  for (const field of fields) {
    if (!fieldNamePattern.test(field)) throw badField(operation, field, 'is not a ServiceNow field name');
  }
  const managed: readonly string[] = managedFields;
  return [...new Set(fields)].filter((field) => !managed.includes(field));
}

/**
 * The mapped values of a write, refused if a name is malformed or names a field the client manages
 * itself (user_name, active, locked_out, sys_*), which would bypass its rules.
 */
export function checkWritableFields(
  operation: string,
  fields: Readonly<Record<string, string>>,
): Record<string, string> {
  const managed: readonly string[] = managedFields;
  for (const [field, value] of Object.entries(fields)) {
    if (!fieldNamePattern.test(field)) throw badField(operation, field, 'is not a ServiceNow field name');
    if (managed.includes(field) || field.startsWith('sys_')) {
      throw badField(operation, field, 'is managed by the client and cannot be written as a mapped field');
    }
    if (typeof value !== 'string') throw badField(operation, field, 'has a value that is not a string');
  }
  return { ...fields };
}

/**
 * Logs a warning for each written value that the instance stored differently (cut by a column
 * shorter than the client knows, trimmed, changed by a business rule) and for an active flag that
 * did not take. Lengths only: values may be personal data.
 */
export function reportAlteredValues(
  logger: Logger | undefined,
  operation: string,
  written: Readonly<Record<string, string>>,
  result: unknown,
  active: boolean | undefined,
  stored: ServiceNowUser,
): void {
  const row = (result ?? {}) as Record<string, unknown>;
  for (const [field, value] of Object.entries(written)) {
    const back = row[field];
    if (typeof back !== 'string' || back === value) continue;

    const truncated = back.length < value.length && value.startsWith(back);
    logger?.warn(
      {
        operation,
        field,
        writtenLength: value.length,
        storedLength: back.length,
        truncated,
        sysId: stored.sysId,
      },
      'servicenow stored a different value than written',
    );
  }
  if (active !== undefined && stored.active !== active) {
    logger?.warn({ operation, sysId: stored.sysId, active }, 'servicenow did not apply the active flag');
  }
}

function badField(operation: string, field: string, problem: string): ServiceNowError {
  return new ServiceNowError(
    'ServiceNowBadRequest',
    `${operation}: field ${JSON.stringify(field)} ${problem}`,
    {
      retryable: false,
    },
  );
}
