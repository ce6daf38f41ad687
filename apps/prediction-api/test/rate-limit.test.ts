// A token bucket per key, or per client address when the server is open: 429 with Retry-After once the burst is
// spent, served again after that wait; probes are never limited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelRegistry } from '@onnx-serve/inference';
import { parseApiKeys } from '../src/middleware/api-keys';
import type { Protection } from '../src/middleware/protection';
import { getJson, loadBundledModels, startTestServer, type TestServer } from './test-server';

// One request a second sustained, 3 at once: after the burst the next token is 1 s away (Retry-After: 1). A slower
// refill than the requests keeps the counts exact on a busy machine. Each test has its own server: fresh buckets.
const rateLimit = { perMinute: 60, burst: 3 };
const servers: TestServer[] = [];
let registry: ModelRegistry;
beforeAll(async () => {
  registry = await loadBundledModels();
});
afterAll(() => Promise.all(servers.map((s) => s.close())));

async function limitedServer(protection: Partial<Protection> = {}): Promise<TestServer> {
  const server = await startTestServer({ registry, protection: { rateLimit, ...protection } });
  servers.push(server);
  return server;
}

async function statuses(url: string, count: number, headers: Record<string, string> = {}): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) seen.push((await fetch(url, { headers })).status);
  return seen;
}

describe('rate limit', () => {
  it('429 rate_limited with Retry-After once the burst is spent; served again after waiting that long', async () => {
    const byAddress = await limitedServer();
    const models = `${byAddress.url}/v1/models`;
    expect(await statuses(models, 3)).toEqual([200, 200, 200]);
    const limited = await getJson(models);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.body).toEqual({
      error: {
        status: 429,
        code: 'rate_limited',
        message: 'rate limit exceeded; retry after 1 s',
        requestId: limited.headers.get('x-request-id'),
      },
    });
    expect(byAddress.logLines.at(-1)).toMatchObject({ route: '/v1/models', status: 429 });

    // The probes stay open while the caller is limited.
    expect(await statuses(`${byAddress.url}/health`, 5)).toEqual([200, 200, 200, 200, 200]);
    expect((await fetch(`${byAddress.url}/ready`)).status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, 1000 * Number(limited.headers.get('retry-after'))));
    expect(await statuses(models, 2)).toEqual([200, 429]);
  });

  it('under /v2: 429 in the V2 error shape with Retry-After; the V2 probes stay open', async () => {
    const v2 = `${(await limitedServer()).url}/v2`;
    expect(await statuses(`${v2}/models/iris`, 3)).toEqual([200, 200, 200]);
    const limited = await getJson(`${v2}/models/iris`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.body).toEqual({ error: 'rate limit exceeded; retry after 1 s' });
    expect(await statuses(`${v2}/health/live`, 4)).toEqual([200, 200, 200, 200]);
    expect(await statuses(`${v2}/health/ready`, 4)).toEqual([200, 200, 200, 200]);
  });

  it('without TRUST_PROXY, X-Forwarded-For is ignored: the socket address is the caller', async () => {
    const models = `${(await limitedServer()).url}/v1/models/iris`;
    const spoofed = ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4'];
    const seen = [];
    for (const address of spoofed) seen.push((await fetch(models, { headers: { 'x-forwarded-for': address } })).status);
    expect(seen).toEqual([200, 200, 200, 429]);
  });

  it('behind a trusted proxy, each client address (the last X-Forwarded-For entry) has its own bucket', async () => {
    const models = `${(await limitedServer({ trustProxy: true })).url}/v1/models`;
    const from = (chain: string) => statuses(models, 1, { 'x-forwarded-for': chain }).then(([s]) => s);
    expect([await from('198.51.100.7'), await from('198.51.100.7'), await from('198.51.100.7')]).toEqual([200, 200, 200]);
    expect(await from('198.51.100.7')).toBe(429);
    // A client cannot get a fresh bucket by writing its own entries in front of what the proxy appended.
    expect(await from('10.9.9.9, 198.51.100.7')).toBe(429);
    expect(await from('198.51.100.8')).toBe(200);
  });

  it('with API keys, each key has its own bucket', async () => {
    const models = `${(await limitedServer({ apiKeys: parseApiKeys('key-alpha-1,key-beta-2') })).url}/v1/models`;
    expect(await statuses(models, 4, { 'x-api-key': 'key-alpha-1' })).toEqual([200, 200, 200, 429]);
    expect(await statuses(models, 3, { authorization: 'Bearer key-beta-2' })).toEqual([200, 200, 200]);
  });
});
