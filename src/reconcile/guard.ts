/** Limits on how many managed users one reconcile may disable without an operator's approval. */
export interface GuardLimits {
  /** More disables than this in one run are held back. */
  readonly maxDisables: number;
  /** Disabling more than this share of the managed users (rounded up) is held back. */
  readonly maxDisableShare: number;
}

export interface GuardInput {
  readonly disables: number;
  /** Managed users, counting the existing accounts this run links or disables for the first time. */
  readonly managedUsers: number;
  readonly usersInScope: number;
  readonly limits: GuardLimits;
}

export type GuardVerdict = { readonly hold: false } | { readonly hold: true; readonly reason: string };

/**
 * Decides whether a reconcile's disables must wait for an operator. Mass disables are what a
 * directory answering badly looks like (an ACL change, a wrong base DN, a group emptied by mistake),
 * so above the limits none of them happens until a person confirms. Rounding the share up keeps a
 * small directory from tripping on a single leaver.
 */
export function evaluateGuard({ disables, managedUsers, usersInScope, limits }: GuardInput): GuardVerdict {
  if (disables === 0) return { hold: false };

  if (usersInScope === 0 && managedUsers > 0) {
    return {
      hold: true,
      reason: `the directory has no user in scope while ${managedUsers} users are managed`,
    };
  }
  if (disables > limits.maxDisables) {
    return { hold: true, reason: `${disables} disables exceed the limit of ${limits.maxDisables} per run` };
  }
  const shareLimit = Math.ceil(limits.maxDisableShare * managedUsers);
  if (disables > shareLimit) {
    const percent = Math.round(limits.maxDisableShare * 100);
    return {
      hold: true,
      reason: `${disables} disables of ${managedUsers} managed users exceed ${percent} % (${shareLimit} users)`,
    };
  }
  return { hold: false };
}
