/**
 * Retries `check` until it stops throwing or `timeoutMs` passes, then throws its last error. For
 * effects that happen asynchronously (a signal applied by a workflow), never for timing claims.
 */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
