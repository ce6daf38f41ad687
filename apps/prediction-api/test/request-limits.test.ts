// The per-request limits, each a clear 4xx naming the field and the limit: body size 413, instances per request and
// string length 422 invalid_features (the same code and shape as every other field the caller must change).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMaxInstances } from '@onnx-serve/feature-spec';
import { defaultMaxRowsPerRun } from '@onnx-serve/inference';
import { readServerConfig } from '../src/config';
import { defaultLimits } from '../src/service-limits';
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
      error: { status: 413, code: 'payload_too_large', message: 'request body exceeds MAX_BODY_BYTES (2048 bytes); send the instances in smaller batches', requestId: headers.get('x-request-id') },
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

/** A batch as Python's json.dumps writes it (", " and ": " separators), floats at full double precision. */
function pythonJson(rows: Record<string, number>[]): string {
  return JSON.stringify({ instances: rows }).replace(/,"/g, ', "').replace(/":/g, '": ');
}

/** `count` rows of `names`, each value a double from a fixed sequence in [low, high). */
function floatRows(names: string[], count: number, low: number, high: number): Record<string, number>[] {
  let seed = 1;
  const next = () => low + (high - low) * ((seed = (seed * 16807) % 2147483647) / 2147483647);
  return Array.from({ length: count }, () => Object.fromEntries(names.map((name) => [name, next()])));
}

describe('the default limits agree', () => {
  let defaults: TestServer;
  beforeAll(async () => {
    defaults = await startTestServer({ registry: await loadBundledModels() });
  });
  afterAll(() => defaults.close());

  it('one default per limit: the environment\'s, the app\'s and the libraries\' are the same numbers', () => {
    const config = readServerConfig({});
    expect(config.limits).toEqual(defaultLimits);
    expect(config.limits.maxInstances).toBe(defaultMaxInstances);
    expect(config.maxRowsPerRun).toBe(defaultMaxRowsPerRun);
    expect([defaultLimits.maxBodyBytes, defaultMaxInstances, defaultMaxRowsPerRun]).toEqual([4_194_304, 10_000, 256]);
  });

  it('MAX_INSTANCES rows of a typical 10-feature model fit MAX_BODY_BYTES, and stay under Lambda\'s 6 MB', () => {
    const names = ['annual_income', 'loan_amount', 'debt_to_income', 'credit_score', 'employment_years', 'age',
      'open_accounts', 'utilisation', 'months_since_delinquency', 'inquiries_6m'];
    const bytes = Buffer.byteLength(pythonJson(floatRows(names, defaultLimits.maxInstances, 0, 1000)));
    expect(bytes).toBe(3_615_985); // ~360 bytes a row: the measurement the limits are sized by
    expect(bytes).toBeLessThan(defaultLimits.maxBodyBytes);
    expect(defaultLimits.maxBodyBytes).toBeLessThan(6 * 1024 * 1024 * 0.7); // room for the event around a JSON-escaped body
  });

  it('a batch of MAX_INSTANCES diabetes rows is served, and one row more is refused by its count, not its size', async () => {
    const names = ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'];
    const rows = floatRows(names, defaultLimits.maxInstances + 1, -0.2, 0.2);
    const url = `${defaults.url}/v1/models/diabetes/predict`;
    const served = await postJson(url, pythonJson(rows.slice(0, -1)));
    expect(served.status).toBe(200);
    expect(served.body.predictions).toHaveLength(defaultLimits.maxInstances);
    const refused = await postJson(url, pythonJson(rows));
    expect(refused.status).toBe(422);
    expect(refused.body.error.issues).toEqual([{ path: 'instances', message: 'must hold at most 10000 instances, got 10001' }]);
  });
});
