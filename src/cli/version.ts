import { readFileSync } from 'node:fs';

/** The product's version, from the package.json one folder above `src` or `dist`, wherever it runs from. */
export function productVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}
