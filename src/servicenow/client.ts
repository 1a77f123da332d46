import type { Logger } from '../log.js';
import { createAuthorization } from './authorization.js';
import type { CallContext } from './classify.js';
import { durationMs } from './duration.js';
import { ServiceNowError } from './errors.js';
import { checkFieldLengths, sysUserFieldLengths } from './field-lengths.js';
import { HttpTransport, type RateLimitResend } from './http-transport.js';
import { keysetPages } from './keyset-pages.js';
import type { PageRetryPolicy } from './page-retry.js';
import { managedFields, rowToUser, sameUserName } from './records.js';
import { RequestBudget } from './request-budget.js';
import { TableApi } from './table-api.js';
import type {
  NewServiceNowUser,
  ServiceNowSettings,
  ServiceNowUser,
  ServiceNowUserChanges,
} from './types.js';
import { candidateRows, userNameQuery } from './user-name-lookup.js';
import { checkWritableFields, fieldList, reportAlteredValues } from './write-checks.js';

export { ServiceNowError } from './errors.js';

/** Options of a ServiceNowClient besides its settings. */
export interface ServiceNowClientOptions {
  readonly logger?: Logger;
  /** Mapped fields read on every call, in addition to those a call asks for. */
  readonly fields?: readonly string[];
  /** Column lengths of this instance where they differ from the base system (or for custom fields). */
  readonly fieldLengths?: Readonly<Record<string, number>>;
  /** Changes to how listUsers retries a failed page (see page-retry.ts); tests shorten the waits. */
  readonly pageRetry?: Partial<PageRetryPolicy>;
  /** Changes to when a request refused with 429 is sent again in place (see http-transport.ts). */
  readonly rateLimitResend?: Partial<RateLimitResend>;
}

/** Options of one listUsers scan. */
export interface ListUsersOptions {
  /** Runs while a failed page waits to be asked for again: an activity heartbeats here. */
  readonly keepAlive?: () => void;
}

const table = 'sys_user';

/**
 * The product's access to ServiceNow's `sys_user` table through the Table API. Apart from the pages
 * of listUsers (a scan cannot resume, see page-retry.ts) and a request refused with 429 for a
 * moment (sent again once the budget's pause is over, see http-transport.ts), it never retries:
 * every failure is a ServiceNowError whose `retryable` and `retryAfterMs` let Temporal's retry
 * policy decide. All calls of one client share its request budget (settings.maxConcurrency and
 * settings.requestsPerSecond); the worker makes one client per process.
 */
export class ServiceNowClient {
  readonly #api: TableApi;
  readonly #pageSize: number;
  readonly #alwaysRead: readonly string[];
  readonly #lengths: Readonly<Record<string, number>>;
  readonly #logger: Logger | undefined;
  readonly #pageRetry: Partial<PageRetryPolicy> | undefined;

  constructor(settings: ServiceNowSettings, options: ServiceNowClientOptions = {}) {
    const budget = new RequestBudget(settings);
    const { logger } = options;
    const transport = new HttpTransport({
      instanceUrl: settings.instanceUrl,
      timeoutMs: durationMs(settings.timeout),
      caFile: settings.caFile,
      verifyCertificate: settings.verifyCertificate,
      budget,
      logger,
      rateLimitResend: options.rateLimitResend,
    });
    this.#api = new TableApi(table, transport, createAuthorization(settings, transport, logger));
    this.#pageSize = settings.pageSize;
    this.#alwaysRead = fieldList('ServiceNowClient', options.fields ?? []);
    this.#lengths = { ...sysUserFieldLengths, ...options.fieldLengths };
    this.#logger = logger;
    this.#pageRetry = options.pageRetry;
  }

  /**
   * Every sys_user row, page by page (settings.pageSize), in sys_id order using keyset paging
   * (`sys_id>last^ORDERBYsys_id`), never deep offsets: rows added or removed during the scan do not
   * make others be skipped or repeated. Ends only at an empty page. A page that fails retryably is
   * asked for again in place, a bounded number of times, before the error goes out.
   */
  async *listUsers(
    fields: readonly string[],
    options: ListUsersOptions = {},
  ): AsyncGenerator<ServiceNowUser[]> {
    const wanted = this.#wanted('listUsers', fields);
    const context = call('listUsers', 'GET');
    const retry = { policy: this.#pageRetry, logger: this.#logger, keepAlive: options.keepAlive };
    const scan = { context, fields: [...managedFields, ...wanted], pageSize: this.#pageSize, retry };

    for await (const rows of keysetPages(this.#api, scan)) {
      yield rows.map((row) => rowToUser(context, row, wanted));
    }
  }

  /**
   * Accounts whose user_name equals `userName` case-insensitively, spaces around it ignored
   * (normally 0 or 1; 2 or more means duplicates on the instance). The value never becomes query
   * syntax (see user-name-query.ts) and every row is checked before it is returned.
   */
  async findUsersByUserName(userName: string, fields: readonly string[]): Promise<ServiceNowUser[]> {
    const wanted = this.#wanted('findUsersByUserName', fields);
    const context = call('findUsersByUserName', 'GET');

    const lookup = { context, userName, fields: [...managedFields, ...wanted], pageSize: this.#pageSize };
    const rows = await candidateRows(this.#api, lookup);

    const users = rows.map((row) => rowToUser(context, row, wanted));
    const matching = users.filter((user) => sameUserName(user.userName, userName));
    if (userNameQuery(userName).kind === 'filter' && matching.length !== users.length) {
      this.#logger?.warn(
        { returned: users.length, matching: matching.length },
        'user_name filter returned other rows',
      );
    }
    return matching;
  }

  /** The account with this sys_id, or undefined if there is none. */
  async getUser(sysId: string, fields: readonly string[]): Promise<ServiceNowUser | undefined> {
    const wanted = this.#wanted('getUser', fields);
    const context = call('getUser', 'GET');
    try {
      const result = await this.#api.call({
        context,
        method: 'GET',
        sysId,
        searchParams: { sysparm_fields: [...managedFields, ...wanted].join(',') },
      });
      return rowToUser(context, result, wanted);
    } catch (error) {
      if (error instanceof ServiceNowError && error.type === 'ServiceNowNotFound') return undefined;
      throw error;
    }
  }

  /**
   * Creates an account; `active: false` also sets locked_out. The user_name is written without
   * spaces around it (ServiceNow compares user names that way; nobody can log in with them).
   *
   * Not idempotent, and deliberately without a hidden lookup: a create whose answer was lost (a
   * timeout, or a 500 after the row was committed) may have created the account. Callers must look
   * the user up with findUsersByUserName before every attempt (read before write), and take
   * `ServiceNowDuplicate` to mean "it exists now": look again and link it.
   */
  async createUser(user: NewServiceNowUser, fields: readonly string[]): Promise<ServiceNowUser> {
    const wanted = this.#wanted('createUser', fields);
    const context: CallContext = { ...call('createUser', 'POST'), writesUserName: true };
    if (user.userName.trim() === '') {
      throw new ServiceNowError('ServiceNowBadRequest', 'createUser: the user_name is empty', {
        retryable: false,
      });
    }
    const values = { user_name: user.userName.trim(), ...checkWritableFields('createUser', user.fields) };
    checkFieldLengths('createUser', values, this.#lengths);

    const body = { ...values, active: String(user.active), locked_out: String(!user.active) };
    const result = await this.#api.call({
      context,
      method: 'POST',
      body,
      searchParams: { sysparm_fields: readList(wanted, values) },
    });
    const created = rowToUser(context, result, wanted);
    reportAlteredValues(this.#logger, 'createUser', values, result, user.active, created);
    return created;
  }

  /**
   * Writes only the keys given. `active: false` also writes locked_out=true, `active: true` writes
   * locked_out=false; a user_name is written without spaces around it. Throws ServiceNowNotFound if
   * the account no longer exists.
   */
  async updateUser(
    sysId: string,
    changes: ServiceNowUserChanges,
    fields: readonly string[],
  ): Promise<ServiceNowUser> {
    const wanted = this.#wanted('updateUser', fields);
    const writesUserName = changes.userName !== undefined;
    const context: CallContext = { ...call('updateUser', 'PATCH'), writesUserName };
    if (changes.userName?.trim() === '') {
      throw new ServiceNowError('ServiceNowBadRequest', 'updateUser: the user_name is empty', {
        retryable: false,
      });
    }
    const values: Record<string, string> = { ...checkWritableFields('updateUser', changes.fields ?? {}) };
    if (changes.userName !== undefined) values.user_name = changes.userName.trim();
    checkFieldLengths('updateUser', values, this.#lengths);

    const body: Record<string, string> = { ...values };
    if (changes.active !== undefined) {
      body.active = String(changes.active);
      body.locked_out = String(!changes.active);
    }
    if (Object.keys(body).length === 0) return this.#current(sysId, wanted);

    const result = await this.#api.call({
      context,
      method: 'PATCH',
      sysId,
      body,
      searchParams: { sysparm_fields: readList(wanted, values) },
    });
    const updated = rowToUser(context, result, wanted);
    reportAlteredValues(this.#logger, 'updateUser', values, result, changes.active, updated);
    return updated;
  }

  async #current(sysId: string, wanted: readonly string[]): Promise<ServiceNowUser> {
    const user = await this.getUser(sysId, wanted);
    if (user !== undefined) return user;
    throw new ServiceNowError('ServiceNowNotFound', `updateUser: GET ${table} found no record ${sysId}`, {
      retryable: false,
      status: 404,
    });
  }

  #wanted(operation: string, fields: readonly string[]): readonly string[] {
    return fieldList(operation, [...this.#alwaysRead, ...fields]);
  }
}

function call(operation: string, method: string): CallContext {
  return { operation, method, table };
}

/** Fields to read back after a write: the managed ones, those asked for and those written. */
function readList(wanted: readonly string[], written: Readonly<Record<string, string>>): string {
  return [...new Set([...managedFields, ...wanted, ...Object.keys(written)])].join(',');
}
