// One structured log line per request, with the caller's request id echoed back (or one generated).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundledModels, startTestServer, type TestServer } from './test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ registry: await loadBundledModels() });
});
afterAll(() => server.close());

describe('request log and request id', () => {
  it('echoes a caller request id and logs method, route, status, latency, model and batch size', async () => {
    const res = await fetch(`${server.url}/v1/models/iris/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-42' },
      body: JSON.stringify({ instances: [1, 2, 3].map(() => ({ sepal_length: 5, sepal_width: 3, petal_length: 1, petal_width: 0.2 })) }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('trace-42');
    const line = server.logLines.find((l) => l['requestId'] === 'trace-42');
    expect(line).toMatchObject({
      level: 'info',
      service: 'prediction-api',
      msg: 'request',
      method: 'POST',
      route: '/v1/models/:name/predict',
      path: '/v1/models/iris/predict',
      status: 200,
      model: 'iris',
      batchSize: 3,
    });
    expect(line!['latencyMs']).toEqual(expect.any(Number));
  });

  it('generates a request id when none (or an unsafe one) is sent, also on errors', async () => {
    const res = await fetch(`${server.url}/v1/models/nope/predict`, {
      method: 'POST',
      headers: { 'x-request-id': 'bad id with spaces' },
      body: '{}',
    });
    expect(res.status).toBe(404);
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await res.json()) as { error: { requestId: string } }).error.requestId).toBe(id);
  });
});
