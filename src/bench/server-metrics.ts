/** Requests the Temporal frontend has answered, per operation, from the dev server's Prometheus endpoint. */
export async function frontendRequests(metricsUrl: string): Promise<Map<string, number>> {
  const response = await fetch(metricsUrl);
  if (!response.ok) throw new Error(`Temporal metrics ${metricsUrl}: HTTP ${response.status}`);

  const counts = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    if (!line.startsWith('service_requests{') || !line.includes('service_name="frontend"')) continue;
    const operation = /operation="([^"]+)"/.exec(line)?.[1];
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (operation && Number.isFinite(value)) counts.set(operation, (counts.get(operation) ?? 0) + value);
  }
  return counts;
}

/** How many more requests of each operation the frontend answered in `after` than in `before`. */
export function requestsBetween(before: Map<string, number>, after: Map<string, number>, operation: string) {
  return (after.get(operation) ?? 0) - (before.get(operation) ?? 0);
}
