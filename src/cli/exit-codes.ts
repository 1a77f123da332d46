/**
 * The CLI's exit codes. Scripts rely on them: they never change meaning.
 * - 0: done; for `plan`, nothing is pending; for `check`, every check passed.
 * - 1: something failed (a dependency refused or could not be reached, a check failed, no such user).
 * - 2: the configuration or the command line is wrong (a ConfigError); nothing was tried.
 * - 3: `plan` only: the next reconcile would change something.
 */
export const exitCodes = { ok: 0, failed: 1, usage: 2, changesPending: 3 } as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];
