import { ApplicationFailure } from '@temporalio/activity';
import type { Logger } from '../log.js';
import { decide, type Decision, type Switches } from '../reconcile/decide.js';
import type { DesiredUser } from '../reconcile/desired-user.js';
import { ServiceNowError, type ServiceNowClient } from '../servicenow/client.js';
import type { ServiceNowUser, ServiceNowUserChanges } from '../servicenow/types.js';
import { withFailureTypes } from './failures.js';

export interface ApplyUserStateInput {
  readonly directoryId: string;
  /** The account this user's workflow is linked to, if any. */
  readonly sysId: string | undefined;
  /** The directory's desired state; null when the user is not in scope. */
  readonly desired: DesiredUser | null;
  readonly held: boolean;
}

export interface ApplyUserStateResult {
  readonly kind: Decision['kind'];
  /** The account linked after this step; undefined when the user has none. */
  readonly sysId: string | undefined;
  readonly active: boolean | undefined;
  /** Names of the mapped fields written (values stay out of workflow history). */
  readonly changedFields: readonly string[];
}

export interface UserActivityDeps {
  readonly serviceNow: ServiceNowClient;
  readonly mappedFields: readonly string[];
  readonly switches: Switches;
  readonly log: Logger;
}

/** Activities run by each user's workflow. */
export function createUserActivities(deps: UserActivityDeps) {
  return {
    /**
     * Brings one ServiceNow account in line with the desired state. Reads before it writes and writes
     * only what differs, so running it twice, or after a lost response, changes nothing more.
     */
    applyUserState: (input: ApplyUserStateInput): Promise<ApplyUserStateResult> =>
      withFailureTypes(() => applyUserState(deps, input)),
  };
}

export type UserActivities = ReturnType<typeof createUserActivities>;

async function applyUserState(
  deps: UserActivityDeps,
  input: ApplyUserStateInput,
): Promise<ApplyUserStateResult> {
  const { serviceNow, mappedFields } = deps;
  const linked = input.sysId ? await serviceNow.getUser(input.sysId, mappedFields) : undefined;
  const account = linked ?? (input.desired ? await findMatch(deps, input.desired) : undefined);

  const decision = decide({
    desired: input.desired ?? undefined,
    account,
    managed: linked !== undefined,
    held: input.held,
    switches: deps.switches,
  });
  const after = await write(deps, decision, account, input.desired);

  const owned = linked !== undefined || decision.kind !== 'none';
  const result: ApplyUserStateResult = {
    kind: decision.kind,
    sysId: owned ? after?.sysId : undefined,
    active: owned ? after?.active : undefined,
    changedFields: decision.fieldChanges.map((c) => c.field),
  };
  if (decision.kind !== 'none') {
    deps.log.info(
      {
        directoryId: input.directoryId,
        sysId: result.sysId,
        action: decision.kind,
        reason: decision.reason,
        fields: result.changedFields,
      },
      `account ${pastTense[decision.kind]}`,
    );
  }
  return result;
}

const pastTense: Record<Decision['kind'], string> = {
  create: 'created',
  link: 'linked',
  update: 'updated',
  enable: 'enabled',
  disable: 'disabled',
  none: 'unchanged',
};

/**
 * ServiceNow refuses a duplicate user_name with 403. The lookup just before found none, so another
 * writer created it in between (or a lost response of ours did): the next attempt looks again and
 * links the account instead of creating a second one.
 */
async function createOrRetry(
  deps: UserActivityDeps,
  desired: DesiredUser,
  active: boolean,
): Promise<ServiceNowUser> {
  try {
    return await deps.serviceNow.createUser(
      { userName: desired.userName, active, fields: desired.fields },
      deps.mappedFields,
    );
  } catch (error) {
    if (!(error instanceof ServiceNowError) || error.type !== 'ServiceNowDuplicate') throw error;
    throw ApplicationFailure.retryable(
      `an account named like directory user ${desired.directoryId} appeared while creating it; looking again`,
      'CreateRaced',
    );
  }
}

async function findMatch(deps: UserActivityDeps, desired: DesiredUser): Promise<ServiceNowUser | undefined> {
  const matches = await deps.serviceNow.findUsersByUserName(desired.userName, deps.mappedFields);
  if (matches.length > 1) {
    throw ApplicationFailure.nonRetryable(
      `${matches.length} ServiceNow accounts have the user_name of directory user ${desired.directoryId}; none was changed`,
      'DuplicateAccounts',
    );
  }
  return matches[0];
}

async function write(
  deps: UserActivityDeps,
  decision: Decision,
  account: ServiceNowUser | undefined,
  desired: DesiredUser | null,
): Promise<ServiceNowUser | undefined> {
  if (decision.kind === 'create' && desired) {
    return createOrRetry(deps, desired, decision.active ?? desired.enabled);
  }
  if (!account) return undefined;

  const changes: ServiceNowUserChanges = {
    ...(decision.active !== undefined && decision.active !== account.active
      ? { active: decision.active }
      : {}),
    ...(decision.userName ? { userName: decision.userName } : {}),
    ...(decision.fieldChanges.length > 0
      ? { fields: Object.fromEntries(decision.fieldChanges.map((c) => [c.field, c.to])) }
      : {}),
  };
  if (Object.keys(changes).length === 0) return account;
  return deps.serviceNow.updateUser(account.sysId, changes, deps.mappedFields);
}
