import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProvisioningMetrics } from './provisioning-metrics.js';

/** A listening metrics endpoint. */
export interface MetricsServer {
  /** `http://host:port/metrics`. */
  readonly url: string;
  close(): Promise<void>;
}

/** Splits `host:port` (a bracketed IPv6 host is allowed); port 0 picks a free one. */
export function parseBindAddress(bindAddress: string): { host: string; port: number } {
  const match = /^\[?([^\]]*)\]?:(\d+)$/.exec(bindAddress);
  if (!match) throw new Error(`not a host:port address: ${bindAddress}`);
  return { host: match[1]!, port: Number(match[2]) };
}

/** Serves the product's metrics at `/metrics` for Prometheus to scrape; anything else is a 404. */
export async function startMetricsServer(
  metrics: ProvisioningMetrics,
  bindAddress: string,
): Promise<MetricsServer> {
  const { host, port } = parseBindAddress(bindAddress);
  const server: Server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    metrics.text().then(
      (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/metrics`,
    close: () =>
      new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
