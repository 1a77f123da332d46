import { isPortFree } from '../dev/processes.js';

/** Fails with one clear message if any of the demo's fixed ports is already taken. */
export async function assertPortsFree(ports: readonly number[]): Promise<void> {
  const busy: number[] = [];
  for (const port of ports) {
    if (!(await isPortFree(port))) busy.push(port);
  }
  if (busy.length > 0) {
    throw new Error(
      `port ${busy.join(', ')} already in use on 127.0.0.1: is another demo or a Temporal server running?`,
    );
  }
}
