import {
  ActivityFailure,
  ApplicationFailure,
  TimeoutFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { UserActivities } from '../activities/user-activities.js';
import type { DesiredUser } from '../reconcile/desired-user.js';
import {
  desiredStateSignal,
  disableVerdictSignal,
  manualDisableSignal,
  releaseSignal,
  searchAttributes,
  userStateQuery,
  type LastAction,
  type ProvisioningState,
  type UserStateView,
} from './definitions.js';

/** What a user workflow carries from one run to the next when it continues as new. */
export interface UserLifecycleState {
  readonly directoryId: string;
  userName?: string;
  sysId?: string;
  /** Last desired state received; null once the user left the scope; undefined before any. */
  desired?: DesiredUser | null;
  active?: boolean;
  hold?: { reason: string; by?: string; since: string };
  lastAction?: LastAction;
  lastError?: { type: string; message: string };
  /** Reconcile runs whose signal arrived but is not yet applied, then the last few applied. */
  pendingReconciles: string[];
  appliedReconciles: string[];
  /** A disable held back by a reconcile's deprovision guard, waiting for the operator's verdict. */
  awaiting?: { reconcileId: string; desired: DesiredUser | null };
  /** True when a signal arrived that is not applied yet (kept across continue-as-new). */
  dirty: boolean;
  /** True when the search attributes must be refreshed without applying anything. */
  republish?: boolean;
  updatedAt?: string;
}

export interface UserLifecycleInput {
  readonly directoryId: string;
  readonly carried?: UserLifecycleState;
}

/** Histories stay small so a replay is cheap and the server keeps little per user. */
const maxHistoryEvents = 500;
const reconcilesKept = 5;

/**
 * Retried until it succeeds or an hour has passed: a throttled or briefly unavailable ServiceNow
 * must delay a user, not fail it. Permanent errors (bad credentials, a refused value) are
 * non-retryable and fail at once; either way the user's state shows it.
 */
const { applyUserState } = proxyActivities<UserActivities>({
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * One person's account for as long as the product knows them. Serialises everything that happens to
 * the account (directory changes, manual holds), holds the link to the ServiceNow record, and shows
 * its state in search attributes, which carry no names or emails.
 */
export async function userLifecycleWorkflow(input: UserLifecycleInput): Promise<void> {
  const s: UserLifecycleState = input.carried ?? {
    directoryId: input.directoryId,
    pendingReconciles: [],
    appliedReconciles: [],
    dirty: false,
  };

  setHandler(desiredStateSignal, ({ reconcileId, desired, awaitApproval }) => {
    s.pendingReconciles.push(reconcileId);
    if (awaitApproval) {
      s.awaiting = { reconcileId, desired };
      s.republish = true;
      return;
    }
    s.awaiting = undefined;
    s.desired = desired;
    if (desired) s.userName = desired.userName;
    s.dirty = true;
  });
  setHandler(disableVerdictSignal, ({ reconcileId, approved }) => {
    if (s.awaiting?.reconcileId !== reconcileId) return;
    if (approved) {
      s.desired = s.awaiting.desired;
      s.dirty = true;
    } else {
      s.republish = true;
    }
    s.awaiting = undefined;
  });
  setHandler(manualDisableSignal, ({ reason, by }) => {
    s.hold = { reason, by, since: new Date().toISOString() };
    s.dirty = true;
  });
  setHandler(releaseSignal, () => {
    if (!s.hold) return;
    s.hold = undefined;
    s.dirty = true;
  });
  setHandler(userStateQuery, () => view(s));

  publish(s);
  for (;;) {
    await condition(() => s.dirty || s.republish === true || mustContinueAsNew());
    if (s.dirty) {
      await applyOnce(s);
    } else if (s.republish) {
      s.republish = false;
      s.appliedReconciles = [...s.appliedReconciles, ...s.pendingReconciles.splice(0)].slice(-reconcilesKept);
      publish(s);
    } else {
      await condition(allHandlersFinished);
      await continueAsNew<typeof userLifecycleWorkflow>({ directoryId: s.directoryId, carried: s });
    }
  }
}

async function applyOnce(s: UserLifecycleState): Promise<void> {
  s.dirty = false;
  const reconciles = s.pendingReconciles.splice(0);
  upsertSearchAttributes([
    { key: searchAttributes.state, value: 'pending' },
    { key: searchAttributes.updatedAt, value: new Date() },
  ]);

  try {
    const result = await applyUserState({
      directoryId: s.directoryId,
      sysId: s.sysId,
      desired: s.desired ?? null,
      held: s.hold !== undefined,
    });
    s.sysId = result.sysId;
    s.active = result.active;
    s.lastAction = result.kind;
    s.lastError = undefined;
  } catch (error) {
    s.lastError = describeFailure(error);
  }

  s.appliedReconciles = [...s.appliedReconciles, ...reconciles].slice(-reconcilesKept);
  s.updatedAt = new Date().toISOString();
  publish(s);
}

function mustContinueAsNew(): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > maxHistoryEvents;
}

function stateOf(s: UserLifecycleState): ProvisioningState {
  if (s.lastError) return 'failed';
  if (s.hold) return 'held';
  if (s.awaiting) return 'awaiting-approval';
  if (s.lastAction === undefined && s.sysId === undefined) return 'pending';
  if (!s.sysId) return 'unlinked';
  return s.active ? 'active' : 'disabled';
}

function publish(s: UserLifecycleState): void {
  upsertSearchAttributes([
    { key: searchAttributes.state, value: stateOf(s) },
    { key: searchAttributes.userName, value: s.userName ?? null },
    { key: searchAttributes.sysId, value: s.sysId ?? null },
    { key: searchAttributes.lastAction, value: s.lastAction ?? null },
    { key: searchAttributes.lastError, value: s.lastError?.type ?? null },
    { key: searchAttributes.reconciles, value: s.appliedReconciles.length ? s.appliedReconciles : null },
    { key: searchAttributes.updatedAt, value: new Date() },
  ]);
}

function view(s: UserLifecycleState): UserStateView {
  return {
    directoryId: s.directoryId,
    userName: s.userName,
    sysId: s.sysId,
    state: stateOf(s),
    inScope: s.desired === undefined ? undefined : s.desired !== null,
    lastAction: s.lastAction,
    lastError: s.lastError,
    hold: s.hold,
    awaitingApprovalOf: s.awaiting?.reconcileId,
    lastReconcileId: s.appliedReconciles.at(-1),
    updatedAt: s.updatedAt,
  };
}

/** The stable type of an activity failure (set by the activity), or the kind of timeout. */
function describeFailure(error: unknown): { type: string; message: string } {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure)
    return { type: cause.type ?? 'ApplicationFailure', message: cause.message };
  if (cause instanceof TimeoutFailure) return { type: 'ActivityTimeout', message: cause.message };
  return { type: 'Unknown', message: cause instanceof Error ? cause.message : String(cause) };
}
