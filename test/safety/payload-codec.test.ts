import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { startCodecServer, type RunningCodecServer } from '../../src/codec/codec-server.js';
import { EncryptionCodec, PayloadDecryptionError } from '../../src/codec/encryption-codec.js';
import { parseEncryptionKey, EncryptionKeyError } from '../../src/codec/encryption-key.js';

const newKey = () => parseEncryptionKey(randomBytes(32).toString('base64'));
const payloadOf = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
const valueOf = (payload: Payload): unknown => defaultPayloadConverter.fromPayload(payload);
const secretText = 'jsmith@example.com';

describe('the payload encryption codec', () => {
  test('gives back exactly what it encrypted, with nothing of it readable in between', async () => {
    const codec = new EncryptionCodec(newKey());
    const [encrypted] = await codec.encode([payloadOf({ email: secretText, n: 1 })]);

    expect(Buffer.from(encrypted!.data!).toString('latin1')).not.toContain(secretText);
    expect(Buffer.from(encrypted!.metadata!.encoding!).toString()).toBe('binary/encrypted');
    const [decrypted] = await codec.decode([encrypted!]);
    expect(valueOf(decrypted!)).toEqual({ email: secretText, n: 1 });
  });

  test('encrypts the same value differently each time', async () => {
    const codec = new EncryptionCodec(newKey());
    const [a, b] = await codec.encode([payloadOf('same'), payloadOf('same')]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  test('refuses a payload encrypted with another key, naming the key id only', async () => {
    const [encrypted] = await new EncryptionCodec(newKey()).encode([payloadOf(secretText)]);
    await expect(new EncryptionCodec(newKey()).decode([encrypted!])).rejects.toThrow(PayloadDecryptionError);
  });

  test('refuses a payload whose ciphertext was altered', async () => {
    const codec = new EncryptionCodec(newKey());
    const [encrypted] = await codec.encode([payloadOf(secretText)]);
    const data = Buffer.from(encrypted!.data!);
    data[20] = data[20]! ^ 1;
    await expect(codec.decode([{ ...encrypted!, data }])).rejects.toThrow(/failed authentication/);
  });

  test('still decrypts with a previous key after the key is rotated', async () => {
    const old = newKey();
    const [encrypted] = await new EncryptionCodec(old).encode([payloadOf('before rotation')]);
    const [decrypted] = await new EncryptionCodec(newKey(), [old]).decode([encrypted!]);
    expect(valueOf(decrypted!)).toBe('before rotation');
  });

  test('passes through a payload that was never encrypted (input from the Temporal CLI)', async () => {
    const plain = payloadOf({ settleTimeoutMs: 1000 });
    await expect(new EncryptionCodec(newKey()).decode([plain])).resolves.toEqual([plain]);
  });

  test('reads keys as 64 hex digits or base64 and refuses anything else', () => {
    const bytes = randomBytes(32);
    expect(parseEncryptionKey(bytes.toString('hex')).bytes.equals(bytes)).toBe(true);
    expect(parseEncryptionKey(`${bytes.toString('base64')}\n`).bytes.equals(bytes)).toBe(true);
    expect(parseEncryptionKey(bytes.toString('hex')).id).toBe(
      parseEncryptionKey(bytes.toString('base64')).id,
    );
    expect(() => parseEncryptionKey('correct horse battery staple')).toThrow(EncryptionKeyError);
    expect(() => parseEncryptionKey(randomBytes(16).toString('base64'))).toThrow(EncryptionKeyError);
  });
});

describe('the codec endpoint for the Web UI and the Temporal CLI', () => {
  const origin = 'http://127.0.0.1:8233';
  const codec = new EncryptionCodec(newKey());
  let server: RunningCodecServer;

  beforeAll(async () => {
    server = await startCodecServer({ codec, origins: [origin] });
  });
  afterAll(() => server.close());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const asJson = (payload: Payload) => ({
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
    ),
    data: Buffer.from(payload.data ?? []).toString('base64'),
  });

  test('decodes what the codec encrypted, in the protocol the Web UI speaks', async () => {
    const [encrypted] = await codec.encode([payloadOf({ email: secretText })]);

    const response = await post('/decode', { payloads: [asJson(encrypted!)] }, { 'x-namespace': 'default' });

    expect(response.status).toBe(200);
    const { payloads } = (await response.json()) as { payloads: Array<{ data: string }> };
    expect(JSON.parse(Buffer.from(payloads[0]!.data, 'base64').toString())).toEqual({ email: secretText });
  });

  test('encodes under the namespace path the Temporal CLI uses, so the worker can decode it', async () => {
    const response = await post('/default/encode', { payloads: [asJson(payloadOf('from the CLI'))] });
    const { payloads } = (await response.json()) as {
      payloads: Array<{ metadata: Record<string, string>; data: string }>;
    };
    const encoded: Payload = {
      metadata: Object.fromEntries(
        Object.entries(payloads[0]!.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
      ),
      data: Buffer.from(payloads[0]!.data, 'base64'),
    };
    const [decoded] = await codec.decode([encoded]);
    expect(valueOf(decoded!)).toBe('from the CLI');
  });

  test('lets the Web UI origin call it from a browser, and no other origin', async () => {
    const preflight = (from: string) =>
      fetch(`${server.url}/decode`, {
        method: 'OPTIONS',
        headers: {
          origin: from,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-namespace',
        },
      });

    const allowed = await preflight(origin);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(origin);
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/x-namespace/);
    expect((await preflight('http://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  test('answers 400 to a body that is not a list of payloads', async () => {
    expect((await post('/decode', { nothing: true })).status).toBe(400);
  });
});
