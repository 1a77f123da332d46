/** Storage type of a column, which decides how values are coerced, compared and displayed. */
export type FieldType = 'string' | 'boolean' | 'integer' | 'reference' | 'glide_date_time' | 'sys_id';

/** One column of an emulated table. */
export interface FieldSpec {
  readonly type: FieldType;
  /** Longer values are cut to this length on write, silently, as the instance does. */
  readonly maxLength?: number;
  /** Target table of a reference column. */
  readonly reference?: string;
  /** Value of a new record that does not set the column. */
  readonly defaultValue?: string;
  /** Written by the platform only; values sent by a client are ignored. */
  readonly readOnly?: boolean;
}

/** An emulated table: its columns in output order, the column shown for references, unique columns. */
export interface TableSpec {
  readonly name: string;
  readonly displayField: string;
  readonly fields: Readonly<Record<string, FieldSpec>>;
  /** Columns unique case-insensitively among non-empty values. */
  readonly uniqueFields: readonly string[];
}

const text = (maxLength: number): FieldSpec => ({ type: 'string', maxLength });
const flag = (defaultValue: boolean): FieldSpec => ({ type: 'boolean', defaultValue: String(defaultValue) });
const integer = (defaultValue = ''): FieldSpec => ({ type: 'integer', defaultValue });
const reference = (table: string): FieldSpec => ({ type: 'reference', reference: table, maxLength: 32 });
const dateTime: FieldSpec = { type: 'glide_date_time' };

const systemFields: Record<string, FieldSpec> = {
  sys_id: { type: 'sys_id', readOnly: true, maxLength: 32 },
  sys_created_on: { ...dateTime, readOnly: true },
  sys_created_by: { ...text(40), readOnly: true },
  sys_updated_on: { ...dateTime, readOnly: true },
  sys_updated_by: { ...text(40), readOnly: true },
  sys_mod_count: { ...integer('0'), readOnly: true },
  sys_tags: { ...text(4000), readOnly: true },
};

// Column lengths are those of the out-of-box dictionary; `name` is calculated from first and last name.
const sysUser: TableSpec = {
  name: 'sys_user',
  displayField: 'name',
  uniqueFields: ['user_name'],
  fields: {
    user_name: text(40),
    first_name: text(50),
    middle_name: text(50),
    last_name: text(50),
    name: { ...text(151), readOnly: true },
    email: text(100),
    title: text(60),
    department: reference('cmn_department'),
    manager: reference('sys_user'),
    employee_number: text(40),
    phone: text(40),
    mobile_phone: text(40),
    home_phone: text(40),
    street: text(255),
    city: text(40),
    state: text(40),
    zip: text(40),
    country: text(40),
    gender: text(40),
    introduction: text(40),
    time_zone: text(40),
    source: text(255),
    active: flag(true),
    locked_out: flag(false),
    password_needs_reset: flag(false),
    web_service_access_only: flag(false),
    internal_integration_user: flag(false),
    vip: flag(false),
    notification: integer('2'),
    failed_attempts: integer(),
    last_login_time: dateTime,
    sys_class_name: { ...text(80), readOnly: true, defaultValue: 'sys_user' },
    ...systemFields,
  },
};

const sysUserGroup: TableSpec = {
  name: 'sys_user_group',
  displayField: 'name',
  uniqueFields: [],
  fields: {
    name: text(80),
    description: text(1000),
    email: text(100),
    manager: reference('sys_user'),
    parent: reference('sys_user_group'),
    default_assignee: reference('sys_user'),
    active: flag(true),
    exclude_manager: flag(false),
    include_members: flag(false),
    ...systemFields,
  },
};

const sysUserGrmember: TableSpec = {
  name: 'sys_user_grmember',
  displayField: 'sys_id',
  uniqueFields: [],
  fields: {
    user: reference('sys_user'),
    group: reference('sys_user_group'),
    ...systemFields,
  },
};

const cmnDepartment: TableSpec = {
  name: 'cmn_department',
  displayField: 'name',
  uniqueFields: [],
  fields: {
    name: text(100),
    id: text(40),
    description: text(1000),
    dept_head: reference('sys_user'),
    parent: reference('cmn_department'),
    primary_contact: reference('sys_user'),
    ...systemFields,
  },
};

/** The tables the emulator serves, by name. */
export const tables: ReadonlyMap<string, TableSpec> = new Map(
  [sysUser, sysUserGroup, sysUserGrmember, cmnDepartment].map((spec) => [spec.name, spec]),
);

/** A table the emulator does not serve, asked for through the programmatic API. */
export class UnknownTableError extends Error {
  readonly code = 'EMULATOR_UNKNOWN_TABLE';

  constructor(readonly table: string) {
    super(`The emulator has no table ${table}; it serves ${[...tables.keys()].join(', ')}`);
    this.name = 'UnknownTableError';
  }
}

/** The spec of a served table, or undefined for a table the emulator does not know. */
export function tableSpec(name: string): TableSpec | undefined {
  return tables.get(name);
}
