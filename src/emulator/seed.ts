import type { EmulatorDatabase } from './database.js';
import { tables, UnknownTableError } from './tables.js';

type SeedRecord = Record<string, string | boolean | number>;

const systemActor = { actor: 'system', trusted: true };

// Administrator and guest carry the sys_ids they have on every instance.
const seedUsers: SeedRecord[] = [
  {
    sys_id: '6816f79cc0a8016401c5a33be04be441',
    user_name: 'admin',
    first_name: 'System',
    last_name: 'Administrator',
    email: 'admin@example.com',
    title: 'System Administrator',
  },
  {
    sys_id: '9a0c4b3e1f5d4c2a8e6b7d1f0c3a5e29',
    user_name: 'svc.provisioning',
    first_name: 'Provisioning',
    last_name: 'Integration',
    email: 'svc.provisioning@example.com',
    web_service_access_only: true,
    internal_integration_user: true,
  },
  { sys_id: '5136503cc611227c0183e96598c4f706', user_name: 'guest', first_name: 'Guest' },
];

const seedDepartments: SeedRecord[] = [
  { sys_id: '2a1c7e5f3b8d4e6a9c0b1d2e3f4a5b61', name: 'Engineering', id: 'ENG' },
  { sys_id: '2a1c7e5f3b8d4e6a9c0b1d2e3f4a5b62', name: 'Finance', id: 'FIN' },
  { sys_id: '2a1c7e5f3b8d4e6a9c0b1d2e3f4a5b63', name: 'Human Resources', id: 'HR' },
  { sys_id: '2a1c7e5f3b8d4e6a9c0b1d2e3f4a5b64', name: 'IT', id: 'IT' },
  { sys_id: '2a1c7e5f3b8d4e6a9c0b1d2e3f4a5b65', name: 'Sales', id: 'SAL' },
];

/**
 * Empties the database and loads what an emulator starts with: the default seed (administrator,
 * integration account, guest, a few departments) unless `none`, then the caller's own users.
 */
export function loadSeed(
  database: EmulatorDatabase,
  seed: 'default' | 'none',
  extraUsers: readonly SeedRecord[],
): void {
  const users = tables.get('sys_user');
  const departments = tables.get('cmn_department');
  if (users === undefined) throw new UnknownTableError('sys_user');
  if (departments === undefined) throw new UnknownTableError('cmn_department');

  database.clear();
  if (seed === 'default') {
    for (const record of seedDepartments) database.insert(departments, record, systemActor);
    for (const record of seedUsers) database.insert(users, record, systemActor);
  }
  for (const record of extraUsers) database.insert(users, record, systemActor);
}
