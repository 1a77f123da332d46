/**
 * Names shared by the workflows and by the code that talks to them (worker, CLI, tests): signals,
 * queries, search attributes and the shapes they carry. Pure: safe to import from workflow code.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { DesiredUser } from '../reconcile/desired-user.js';
import type { Decision } from '../reconcile/decide.js';

/** Workflow id of a user's lifecycle workflow: the directory's immutable id, never the (mutable) name. */
export function userWorkflowId(directoryId: string): string {
  return `user-${directoryId.toLowerCase()}`;
}

/** The user's state as operators see it in the Web UI and filter on (`ProvisioningState="failed"`). */
export type ProvisioningState =
  | 'pending'
  | 'active'
  | 'disabled'
  | 'held'
  | 'failed'
  | 'unlinked'
  /** A disable the deprovision guard stopped: it waits for an operator to approve or reject it. */
  | 'awaiting-approval';

/** What the user workflow did last, in one word. */
export type LastAction = Decision['kind'];

export const searchAttributes = {
  state: defineSearchAttributeKey('ProvisioningState', SearchAttributeType.KEYWORD),
  userName: defineSearchAttributeKey('ProvisioningUserName', SearchAttributeType.KEYWORD),
  sysId: defineSearchAttributeKey('ProvisioningSysId', SearchAttributeType.KEYWORD),
  lastAction: defineSearchAttributeKey('ProvisioningLastAction', SearchAttributeType.KEYWORD),
  lastError: defineSearchAttributeKey('ProvisioningLastError', SearchAttributeType.KEYWORD),
  /** The last few reconcile runs whose signal this user has finished handling. */
  reconciles: defineSearchAttributeKey('ProvisioningReconciles', SearchAttributeType.KEYWORD_LIST),
  /** When the workflow last changed any of the above: a reconcile reads only the users changed since its last read. */
  updatedAt: defineSearchAttributeKey('ProvisioningUpdatedAt', SearchAttributeType.DATETIME),
} as const;

/** Every search attribute the product needs registered on the Temporal namespace. */
export const allSearchAttributes = Object.values(searchAttributes);

/** Sent by the reconciler: what the directory says this user should be. `desired: null` means "not in scope". */
export interface DesiredStateSignal {
  readonly reconcileId: string;
  readonly desired: DesiredUser | null;
  /**
   * Set when the deprovision guard stopped this reconcile's disables: keep the new state aside and
   * apply it only when the reconcile sends an approval.
   */
  readonly awaitApproval?: boolean;
}

/** Sent by a reconcile to the users whose disable it held back: the operator's verdict. */
export interface DisableVerdictSignal {
  readonly reconcileId: string;
  readonly approved: boolean;
}

/** Sent by an operator: disable the account now and keep it disabled until released. */
export interface ManualDisableSignal {
  readonly reason: string;
  readonly by?: string;
}

export interface ReleaseSignal {
  readonly by?: string;
}

export const desiredStateSignal = defineSignal<[DesiredStateSignal]>('desiredState');
export const manualDisableSignal = defineSignal<[ManualDisableSignal]>('manualDisable');
export const releaseSignal = defineSignal<[ReleaseSignal?]>('release');
export const disableVerdictSignal = defineSignal<[DisableVerdictSignal]>('disableVerdict');

/** Sent by an operator to a reconcile waiting on its deprovision guard. */
export interface GuardDecisionSignal {
  readonly by?: string;
  readonly comment?: string;
}
export const approveDisablesSignal = defineSignal<[GuardDecisionSignal?]>('approveDisables');
export const rejectDisablesSignal = defineSignal<[GuardDecisionSignal?]>('rejectDisables');

/** A user workflow's state as its query returns it. */
export interface UserStateView {
  readonly directoryId: string;
  readonly userName: string | undefined;
  readonly sysId: string | undefined;
  readonly state: ProvisioningState;
  readonly inScope: boolean | undefined;
  readonly lastAction: LastAction | undefined;
  readonly lastError: { readonly type: string; readonly message: string } | undefined;
  readonly hold: { readonly reason: string; readonly by?: string; readonly since: string } | undefined;
  /** The reconcile whose held-back disable waits for an operator's approval, if any. */
  readonly awaitingApprovalOf: string | undefined;
  readonly lastReconcileId: string | undefined;
  readonly updatedAt: string | undefined;
}

export const userStateQuery = defineQuery<UserStateView>('userState');

/** How far a reconcile has got; counts grow as it goes. */
export interface ReconcileProgress {
  readonly stage: 'starting' | 'reading' | 'dispatching' | 'settling' | 'awaiting-approval' | 'done';
  readonly directoryUsers: number;
  readonly serviceNowAccounts: number;
  readonly managedUsers: number;
  /** Users whose workflow was signalled because their account needs a change. */
  readonly dispatched: number;
  /** Dispatched users whose workflow has finished handling the signal. */
  readonly settled: number;
}

/** Sent by the reconcile's own activities, a few times a minute at most, to keep its progress current. */
export const reconcileProgressSignal = defineSignal<[Partial<ReconcileProgress>]>('reconcileProgress');
export const reconcileProgressQuery = defineQuery<ReconcileProgress>('reconcileProgress');
