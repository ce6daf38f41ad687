// The per-request limits, each a clear 4xx naming the field and the limit: body size 413, instances per request and
// string length 422 invalid_features (the same code and shape as every other field the caller must change).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundledModels, postJson, startTestServer, type TestServer } from './test-server';

const iris = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    registry: await loadBundledModels(),
    limits: { maxBodyBytes: 2048, maxInstances: 3, maxStringLength: 20 },
  });
});
afterAll(() => server.close());

describe('request limits', () => {
  it('413 payload_too_large for a body over MAX_BODY_BYTES', async () => {
    const { status, body, headers } = await postJson(`${server.url}/v1/models/sentiment/predict`, {
      review_text: 'x'.repeat(3000),
    });
    expect(status).toBe(413);
    expect(body).toEqual({
      error: { status: 413, code: 'payload_too_large', message: 'request body exceeds 2048 bytes', requestId: headers.get('x-request-id') },
    });
  });

  it('422 naming `instances` for more instances than MAX_INSTANCES', async () => {
    const { status, body, headers } = await postJson(`${server.url}/v1/models/iris/predict`, {
      instances: [iris, iris, iris, iris],
    });
    expect(status).toBe(422);
    expect(body).toEqual({
      error: {
        status: 422,
        code: 'invalid_features',
        message: '1 invalid field: instances must hold at most 3 instances, got 4',
        issues: [{ path: 'instances', message: 'must hold at most 3 instances, got 4' }],
        requestId: headers.get('x-request-id'),
      },
    });
  });

  it('422 naming the feature for a string longer than MAX_STRING_LENGTH (tighter than the spec’s 5000)', async () => {
    const text = 'a'.repeat(21);
    const { status, body, headers } = await postJson(`${server.url}/v1/models/sentiment/predict`, {
      instances: [{ review_text: 'fine' }, { review_text: text }],
    });
    expect(status).toBe(422);
    const message = `must be a string of at most 20 characters, got "${text}"`;
    expect(body).toEqual({
      error: {
        status: 422,
        code: 'invalid_features',
        message: `1 invalid field: instances[1].review_text ${message}`,
        issues: [{ path: 'instances[1].review_text', message }],
        requestId: headers.get('x-request-id'),
      },
    });
  });

  it('accepts as many instances as MAX_INSTANCES and strings of exactly MAX_STRING_LENGTH', async () => {
    const { status, body } = await postJson(`${server.url}/v1/models/sentiment/predict`, {
      instances: ['a'.repeat(20), 'great film', 'dull plot'].map((review_text) => ({ review_text })),
    });
    expect(status).toBe(200);
    expect(body.predictions).toHaveLength(3);
  });
});
