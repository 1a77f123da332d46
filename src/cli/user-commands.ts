import { userInfo } from 'node:os';
import type { Client, WorkflowHandle } from '@temporalio/client';
import {
  manualDisableSignal,
  releaseSignal,
  userStateQuery,
  type UserStateView,
} from '../workflows/definitions.js';
import { exitCodes, type ExitCode } from './exit-codes.js';
import { findUserWorkflowId } from './find-user.js';
import { writeLines, type Output } from './output.js';
import type { Config } from '../config/load.js';
import { withTemporal } from './temporal-client.js';
import { formatUserState } from './user-state-format.js';

export interface UserCommandOptions {
  readonly json?: boolean;
  /** How long to wait for the workflow to apply a disable or release, in milliseconds. */
  readonly waitMs?: number;
}

/** `provisioner status <user>`: the user's workflow and its state, for people or as JSON. */
export function runStatusCommand(
  settings: Config,
  who: string,
  options: UserCommandOptions,
  out: Output,
): Promise<ExitCode> {
  return withUser(settings, who, async (handle) => {
    show(out, handle.workflowId, await handle.query(userStateQuery), options);
    return exitCodes.ok;
  });
}

/**
 * `provisioner disable <user> --reason …`: the manual disable. The account is disabled and stays so,
 * whatever the directory says, until released. Waits until the workflow has applied it.
 */
export function runDisableCommand(
  settings: Config,
  who: string,
  options: UserCommandOptions & { reason: string; by?: string },
  out: Output,
): Promise<ExitCode> {
  return withUser(settings, who, async (handle) => {
    const before = await handle.query(userStateQuery);
    await handle.signal(manualDisableSignal, { reason: options.reason, by: options.by ?? operatorName() });

    // A hold is applied once `updatedAt` passes the moment it was recorded. An apply that was already
    // running when the signal came also ends after that moment; the workflow applies again right
    // after it, so in that rare case this returns one apply early.
    const after = await waitFor(handle, options, (view) => {
      const updated = view.updatedAt;
      if (view.hold === undefined || updated === undefined) return false;
      return updated !== before.updatedAt && updated >= view.hold.since;
    });
    show(out, handle.workflowId, after.view, options);
    if (!after.done) writeLines(out, `note: the hold is recorded; the account was not disabled yet`);
    return exitCodes.ok;
  });
}

/** `provisioner release <user>`: ends a manual disable; the directory decides again. */
export function runReleaseCommand(
  settings: Config,
  who: string,
  options: UserCommandOptions & { by?: string },
  out: Output,
): Promise<ExitCode> {
  return withUser(settings, who, async (handle) => {
    const before = await handle.query(userStateQuery);
    if (!before.hold) {
      if (!options.json)
        writeLines(out, `${before.userName ?? handle.workflowId} is not held; nothing to release`);
      else show(out, handle.workflowId, before, options);
      return exitCodes.ok;
    }

    await handle.signal(releaseSignal, { by: options.by ?? operatorName() });
    const after = await waitFor(handle, options, (view) => !view.hold && view.updatedAt !== before.updatedAt);
    show(out, handle.workflowId, after.view, options);
    if (!after.done)
      writeLines(out, `note: the release is recorded; the directory's state is not applied yet`);
    return exitCodes.ok;
  });
}

async function withUser(
  settings: Config,
  who: string,
  act: (handle: WorkflowHandle) => Promise<ExitCode>,
): Promise<ExitCode> {
  return withTemporal(settings, async (client: Client) => {
    const workflowId = await findUserWorkflowId(client, settings.temporal.taskQueue, who);
    return act(client.workflow.getHandle(workflowId));
  });
}

async function waitFor(
  handle: WorkflowHandle,
  options: UserCommandOptions,
  applied: (view: UserStateView) => boolean,
): Promise<{ view: UserStateView; done: boolean }> {
  const deadline = Date.now() + (options.waitMs ?? 30_000);
  for (;;) {
    const view = await handle.query(userStateQuery);
    if (applied(view)) return { view, done: true };
    if (Date.now() > deadline) return { view, done: false };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function show(out: Output, workflowId: string, view: UserStateView, options: UserCommandOptions): void {
  if (options.json) writeLines(out, JSON.stringify({ workflowId, ...view }, null, 2));
  else writeLines(out, formatUserState(workflowId, view));
}

/** Who sent a signal, as recorded in the hold: the operator's login on this machine. */
function operatorName(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER;
  }
}
