/**
 * The bare-engine workflow the benchmark measures the product against: started by
 * signal-with-start like a user's workflow, it runs one HTTP activity that does nothing and ends.
 */
import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { CeilingActivities } from './activities.js';

/** The signal that starts the work, as the product's desired-state signal does. */
export const ceilingGoSignal = defineSignal<[{ readonly n: number }]>('go');

const { noopRequest } = proxyActivities<CeilingActivities>({ startToCloseTimeout: '1 minute' });

/** Waits for its signal (already there when signal-with-started), makes one request, completes. */
export async function ceilingWorkflow(): Promise<void> {
  let signalled = false;
  setHandler(ceilingGoSignal, () => void (signalled = true));
  await condition(() => signalled);
  await noopRequest();
}
