import { got } from 'got';

/** The bare-engine workflow's only activity: one GET to a trivial endpoint of the emulator. */
export function createCeilingActivities(url: string) {
  const client = got.extend({ retry: { limit: 0 }, timeout: { request: 30_000 } });
  return {
    async noopRequest(): Promise<void> {
      await client.get(url);
    },
  };
}

export type CeilingActivities = ReturnType<typeof createCeilingActivities>;
