import { ServiceNowError } from './errors.js';

/**
 * Column lengths of the base-system `sys_user` table. ServiceNow cuts a longer value to this length
 * without an error, so a write must be refused before it is sent. user_name's 40 is documented by
 * ServiceNow (and advised against raising); the others are the base-system dictionary values as
 * published in public schema descriptions of the table. Instances can change them: pass overrides
 * to the client. Fields not listed here are not checked.
 */
export const sysUserFieldLengths: Readonly<Record<string, number>> = {
  user_name: 40,
  first_name: 50,
  middle_name: 50,
  last_name: 50,
  title: 60,
  email: 100,
  phone: 40,
  mobile_phone: 40,
  home_phone: 40,
  employee_number: 40,
  street: 255,
  city: 40,
  state: 40,
  zip: 40,
};

/**
 * Refuses a value longer than its column with a non-retryable `ServiceNowValueTooLong` naming the
 * field and its limit (never the value). Length is counted in UTF-16 code units, as the platform's
 * Java strings count it; a database column counts characters, which is never more, so the check
 * errs on the side of refusing (only for characters outside the Basic Multilingual Plane).
 */
export function checkFieldLengths(
  operation: string,
  values: Readonly<Record<string, string>>,
  limits: Readonly<Record<string, number>>,
): void {
  for (const [field, value] of Object.entries(values)) {
    const limit = limits[field];
    if (limit === undefined || value.length <= limit) continue;

    throw new ServiceNowError(
      'ServiceNowValueTooLong',
      `${operation}: ${field} is ${value.length} characters long; sys_user.${field} holds at most ${limit}` +
        ' and ServiceNow would silently cut it',
      { retryable: false },
    );
  }
}
