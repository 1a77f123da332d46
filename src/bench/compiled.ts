import { fileURLToPath } from 'node:url';

/**
 * A compiled script of the product (`dist/<path>`), whether the caller runs compiled or from the
 * TypeScript sources (a test): the processes the benchmark starts always run the built code.
 */
export function compiledScript(path: string): string {
  return fileURLToPath(new URL(`../../dist/${path}`, import.meta.url));
}
