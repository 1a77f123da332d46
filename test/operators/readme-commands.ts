import { readFileSync } from 'node:fs';

/** The project's README, where operators read the commands they run. */
export const readmePath = new URL('../../README.md', import.meta.url);

/**
 * Every Temporal CLI command the README shows: the lines of its fenced code blocks that start with
 * `temporal `, a line ending in a backslash joined with the next, in the README's order.
 */
export function readmeTemporalCommands(markdown = readFileSync(readmePath, 'utf8')): string[] {
  const commands: string[] = [];
  let inCode = false;
  let pending = '';
  for (const raw of markdown.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('```')) {
      inCode = !inCode;
      continue;
    }
    if (!inCode) continue;
    const joined = pending + line;
    if (joined.endsWith('\\')) {
      pending = `${joined.slice(0, -1)} `;
      continue;
    }
    pending = '';
    if (joined.startsWith('temporal ')) commands.push(joined);
  }
  return commands;
}

/**
 * Splits a command line as a POSIX shell would for the quoting the README uses (single quotes,
 * double quotes with backslash escapes, plain words). Anything a shell would expand or redirect is
 * refused, so a README line this cannot run as written fails its test instead of running otherwise.
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated single quote in: ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let text = '';
      for (i++; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === '$' || line[i] === '`')
          throw new Error(`a shell would expand ${line[i]} in: ${line}`);
        text += line[i] === '\\' ? line[++i] : line[i];
      }
      if (i >= line.length) throw new Error(`unterminated double quote in: ${line}`);
      word = (word ?? '') + text;
    } else if ('$`|&;<>()#*?\\'.includes(c)) {
      throw new Error(`a shell would treat ${JSON.stringify(c)} specially in: ${line}`);
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}
