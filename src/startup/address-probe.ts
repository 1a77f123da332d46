import { lookup } from 'node:dns/promises';
import { connect } from 'node:net';
import { networkReason, timedOut, type FailureReason } from './failure-reason.js';

/**
 * Finds out why `host:port` cannot be connected to: the host name is unknown, the port refuses, or
 * nothing answers in time. Undefined when a TCP connection opens (the failure is above TCP). Used for
 * Temporal, whose SDK says "Failed to connect before the deadline" for each of these alike.
 */
export async function probeAddress(address: string, timeoutMs: number): Promise<FailureReason | undefined> {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address);
  if (!match) return undefined;
  const [, host, port] = match as unknown as [string, string, string];

  try {
    await lookup(host);
  } catch (error) {
    return networkReason([(error as NodeJS.ErrnoException).code ?? 'ENOTFOUND'], timeoutMs);
  }
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(port), timeout: timeoutMs });
    const done = (reason: FailureReason | undefined): void => {
      socket.destroy();
      resolve(reason);
    };
    socket.once('connect', () => done(undefined));
    socket.once('timeout', () => done(timedOut(timeoutMs)));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done(networkReason([error.code ?? ''], timeoutMs) ?? { kind: 'other', text: error.message }),
    );
  });
}
