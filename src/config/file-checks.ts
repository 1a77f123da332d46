import { readFileSync } from 'node:fs';
import type { ConfigProblem } from './problems.js';

const pemCertificate = /-----BEGIN CERTIFICATE-----/;

/**
 * Checks the files the configuration names besides secrets (CA certificates), so that a wrong path
 * is reported at start with its setting rather than at the first connection, maybe hours later.
 */
export function checkCaFiles(files: Readonly<Record<string, string | undefined>>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [path, file] of Object.entries(files)) {
    if (file === undefined) continue;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      problems.push({ path, message: `cannot read ${file} (${code})` });
      continue;
    }
    if (!pemCertificate.test(text)) {
      problems.push({ path, message: `${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)` });
    }
  }
  return problems;
}
