// With API keys configured every route but the probes needs one: 401 without, 403 with a wrong one, and no key
// (right or wrong) ever reaches a log line.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApiKeys } from '../src/middleware/api-keys';
import { getJson, loadBundledModels, postJson, startTestServer, type TestServer } from './test-server';

const rawKey = 'raw-key-3f9a1c77e2b4';
const hashedKey = 'hashed-key-8d21b0aa51c6';
const wrongKey = 'wrong-key-55e0c4d1f7a9';
const hashedEntry = `sha256:${createHash('sha256').update(hashedKey).digest('hex')}`;
const iris = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };

let server: TestServer;
let publicMetrics: TestServer;
beforeAll(async () => {
  const registry = await loadBundledModels();
  const apiKeys = parseApiKeys(`${rawKey}, ${hashedEntry}`);
  server = await startTestServer({ registry, protection: { apiKeys } });
  publicMetrics = await startTestServer({ registry, protection: { apiKeys, metricsPublic: true } });
});
afterAll(async () => {
  await server.close();
  await publicMetrics.close();
});

const predictIris = (headers: Record<string, string>) => postJson(`${server.url}/v1/models/iris/predict`, iris, headers);

describe('API keys', () => {
  it('401 unauthorized with WWW-Authenticate when no key is sent', async () => {
    const { status, body, headers } = await predictIris({});
    expect(status).toBe(401);
    expect(headers.get('www-authenticate')).toBe('Bearer realm="prediction-api"');
    expect(body).toEqual({
      error: {
        status: 401,
        code: 'unauthorized',
        message: 'an API key is required: send it as x-api-key or Authorization: Bearer <key>',
        requestId: headers.get('x-request-id'),
      },
    });
  });

  it('401 for an Authorization header that is not a Bearer token', async () => {
    const basic = `Basic ${Buffer.from(`user:${rawKey}`).toString('base64')}`;
    expect((await predictIris({ authorization: basic })).status).toBe(401);
  });

  it('403 forbidden for a wrong key, as x-api-key or as Bearer', async () => {
    const sent: Record<string, string>[] = [{ 'x-api-key': wrongKey }, { authorization: `Bearer ${wrongKey}` }];
    for (const headers of sent) {
      const res = await predictIris(headers);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        error: { status: 403, code: 'forbidden', message: 'the API key is not valid', requestId: res.headers.get('x-request-id') },
      });
    }
  });

  it('a sha256: entry does not accept its own hex digest as the key', async () => {
    expect((await predictIris({ 'x-api-key': hashedEntry.slice('sha256:'.length) })).status).toBe(403);
  });

  it('200 with a raw-entry key as x-api-key, and as Authorization: Bearer', async () => {
    const sent: Record<string, string>[] = [{ 'x-api-key': rawKey }, { authorization: `Bearer ${rawKey}` }];
    for (const headers of sent) {
      const res = await predictIris(headers);
      expect(res.status).toBe(200);
      expect(res.body.predictions[0].label).toBe('setosa');
    }
  });

  it('200 with the key whose sha256 is configured', async () => {
    const res = await predictIris({ authorization: `bearer ${hashedKey}` });
    expect(res.status).toBe(200);
    expect(res.body.model).toEqual({ name: 'iris', version: '1' });
  });

  it('every other route needs a key too: metadata, unknown routes, /version', async () => {
    for (const path of ['/v1/models', '/v1/models/iris', '/version', '/no-such-route']) {
      expect((await getJson(`${server.url}${path}`)).status, path).toBe(401);
    }
  });

  it('the probes answer without a key, v1 and V2', async () => {
    expect(await getJson(`${server.url}/health`)).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await getJson(`${server.url}/ready`)).toMatchObject({ status: 200, body: { status: 'ready', models: 6 } });
    expect(await getJson(`${server.url}/v2/health/live`)).toMatchObject({ status: 200, body: { live: true } });
    expect(await getJson(`${server.url}/v2/health/ready`)).toMatchObject({ status: 200, body: { ready: true } });
  });

  it('under /v2 the same refusals come in the V2 error shape, with the same status and headers', async () => {
    const missing = await getJson(`${server.url}/v2/models/iris`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="prediction-api"');
    expect(missing.body).toEqual({ error: 'an API key is required: send it as x-api-key or Authorization: Bearer <key>' });
    const wrong = await getJson(`${server.url}/v2/models/iris`, { 'x-api-key': wrongKey });
    expect(wrong.status).toBe(403);
    expect(wrong.body).toEqual({ error: 'the API key is not valid' });
    expect((await getJson(`${server.url}/v2/models/iris`, { 'x-api-key': rawKey })).body.name).toBe('iris');
  });

  it('/metrics needs a key, unless METRICS_PUBLIC', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { 'x-api-key': rawKey } })).status).toBe(200);
    expect((await fetch(`${publicMetrics.url}/metrics`)).status).toBe(200);
    expect((await fetch(`${publicMetrics.url}/v1/models`)).status).toBe(401);
  });

  it('logs one line per rejected and accepted request, and no key, right or wrong, in any of them', async () => {
    await predictIris({ 'x-api-key': wrongKey, 'x-request-id': 'wrong-key-request' });
    await predictIris({ authorization: `Bearer ${rawKey}`, 'x-request-id': 'right-key-request' });
    expect(server.logLines.find((l) => l['requestId'] === 'wrong-key-request')).toMatchObject({
      route: '/v1/models/:name/predict',
      status: 403,
    });
    expect(server.logLines.find((l) => l['requestId'] === 'right-key-request')).toMatchObject({ status: 200 });
    const everything = JSON.stringify(server.logLines);
    for (const secret of [rawKey, hashedKey, wrongKey]) expect(everything).not.toContain(secret);
  });
});
