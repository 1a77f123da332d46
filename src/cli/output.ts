/** Where a command writes: the process's streams in the CLI, a buffer in tests. */
export interface Output {
  /** True on a terminal: progress is drawn as a bar rather than written as lines. */
  readonly isTTY: boolean;
  write(text: string): void;
}

/** Standard output, or standard error for progress and diagnostics that must not mix with results. */
export function processOutput(stream: NodeJS.WriteStream = process.stdout): Output {
  return { isTTY: stream.isTTY === true, write: (text) => void stream.write(text) };
}

/** Writes `lines`, each ended by a newline. */
export function writeLines(out: Output, ...lines: string[]): void {
  out.write(lines.map((line) => `${line}\n`).join(''));
}
