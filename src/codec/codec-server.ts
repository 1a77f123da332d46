import cors from '@fastify/cors';
import type { Payload, PayloadCodec } from '@temporalio/common';
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';

/** How to run the codec endpoint. */
export interface CodecServerOptions {
  readonly codec: PayloadCodec;
  /** Default 127.0.0.1: the endpoint hands decrypted payloads to whoever can reach it. */
  readonly host?: string;
  /** Default 0, any free port. */
  readonly port?: number;
  /** Origins of the Web UI pages allowed to call it from a browser. */
  readonly origins: readonly string[];
}

/** A listening codec endpoint. */
export interface RunningCodecServer {
  /** Base URL to give the Web UI (`--ui-codec-endpoint`) or the Temporal CLI (`--codec-endpoint`). */
  readonly url: string;
  close(): Promise<void>;
}

// Temporal's codec protocol carries payloads as proto3 JSON: bytes, in data and in each metadata value, as base64.
const jsonPayloads = z.object({
  payloads: z.array(
    z.object({
      metadata: z.record(z.string(), z.base64()).nullish(),
      data: z.base64().nullish(),
    }),
  ),
});
type JsonPayload = z.infer<typeof jsonPayloads>['payloads'][number];

/**
 * Serves Temporal's remote codec protocol, `POST /encode` and `POST /decode` (also under
 * `/{namespace}/`, as the Temporal CLI's endpoint template makes them), so the Web UI and the CLI
 * show the payloads the worker encrypted. Cross-origin calls are allowed from `origins` only.
 */
export async function startCodecServer(options: CodecServerOptions): Promise<RunningCodecServer> {
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 });
  await app.register(cors, {
    origin: [...options.origins],
    methods: ['POST'],
    allowedHeaders: ['content-type', 'x-namespace', 'authorization'],
    credentials: true,
    maxAge: 600,
  });
  for (const prefix of ['', '/:namespace']) {
    route(app, `${prefix}/encode`, (payloads) => options.codec.encode(payloads));
    route(app, `${prefix}/decode`, (payloads) => options.codec.decode(payloads));
  }

  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, close: () => app.close() };
}

function route(app: FastifyInstance, path: string, apply: (payloads: Payload[]) => Promise<Payload[]>): void {
  app.post(path, async (request, reply) => {
    const body = jsonPayloads.safeParse(request.body);
    if (!body.success) {
      return reply
        .code(400)
        .send({ error: 'expected { "payloads": [{ "metadata": {...}, "data": "<base64>" }] }' });
    }
    try {
      const payloads = await apply(body.data.payloads.map(fromJson));
      return { payloads: payloads.map(toJson) };
    } catch (error) {
      return reply.code(400).send({ error: error instanceof Error ? error.message : String(error) });
    }
  });
}

function fromJson(payload: JsonPayload): Payload {
  const metadata = Object.entries(payload.metadata ?? {}).map(
    ([key, value]) => [key, fromBase64(value)] as const,
  );
  return { metadata: Object.fromEntries(metadata), data: fromBase64(payload.data ?? '') };
}

function toJson(payload: Payload): JsonPayload {
  const metadata = Object.entries(payload.metadata ?? {}).map(
    ([key, value]) => [key, toBase64(value)] as const,
  );
  return { metadata: Object.fromEntries(metadata), data: toBase64(payload.data ?? new Uint8Array()) };
}

const fromBase64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));
const toBase64 = (bytes: Uint8Array | null | undefined): string =>
  Buffer.from(bytes ?? []).toString('base64');
