/** The ServiceNow side of the product: the sys_user client, its errors and its types. */
export { ServiceNowClient, type ListUsersOptions, type ServiceNowClientOptions } from './client.js';
export { sameUserName } from './records.js';
export { ServiceNowError, type ServiceNowErrorType } from './errors.js';
export { RequestBudget, type RequestBudgetOptions } from './request-budget.js';
export { sysUserFieldLengths } from './field-lengths.js';
export type {
  NewServiceNowUser,
  ServiceNowSettings,
  ServiceNowUser,
  ServiceNowUserChanges,
} from './types.js';
