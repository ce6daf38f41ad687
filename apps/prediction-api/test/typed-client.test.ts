// The typed client against the real server: every route's answer parses with the contract's schemas, and every
// error arrives as a PredictionApiError carrying the envelope (status, code, message, issues, request id).
import { createPredictionClient, PredictionApiError } from '@onnx-serve/api-contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApiKeys } from '../src/middleware/api-keys';
import { loadBundledModels, startTestServer, type TestServer } from './test-server';

const iris = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };

async function rejection(promise: Promise<unknown>): Promise<PredictionApiError> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(PredictionApiError);
  return error as PredictionApiError;
}

describe('typed client', () => {
  let server: TestServer;
  let keyed: TestServer;
  beforeAll(async () => {
    const registry = await loadBundledModels();
    server = await startTestServer({ registry });
    keyed = await startTestServer({ registry, protection: { apiKeys: parseApiKeys('client-key') } });
  });
  afterAll(async () => {
    await server.close();
    await keyed.close();
  });

  it('reads readiness from the 503 of a server still loading', async () => {
    const loading = await startTestServer();
    try {
      expect(await createPredictionClient({ baseUrl: loading.url }).ready()).toEqual({ status: 'loading' });
    } finally {
      await loading.close();
    }
  });

  it('reads the probes, the version and the model list and detail', async () => {
    const client = createPredictionClient({ baseUrl: `${server.url}/` });
    expect(await client.health()).toEqual({ status: 'ok' });
    expect(await client.ready()).toEqual({ status: 'ready', models: 6 });
    expect((await client.version()).version).toBe('1.2.3-test');
    expect((await client.listModels()).map((m) => [m.name, m.mode, m.task])).toEqual([
      ['cars-lgbm', 'features', 'regression'],
      ['diabetes', 'features', 'regression'],
      ['disaster-tweets', 'features', 'classification'],
      ['iris', 'features', 'classification'],
      ['loans-mixed', 'features', 'classification'],
      ['sentiment', 'features', 'classification'],
    ]);
    const detail = await client.getModel('iris', '1');
    expect(detail.spec?.outputs).toMatchObject({ kind: 'classification', classes: ['setosa', 'versicolor', 'virginica'] });
    expect(detail.signature.inputs).toEqual([{ name: 'X', dtype: 'float32', shape: [null, 4] }]);
  });

  it('predicts one instance or a batch, by latest or by version', async () => {
    const client = createPredictionClient({ baseUrl: server.url });
    const one = await client.predict('iris', iris);
    expect(one.model).toEqual({ name: 'iris', version: '1' });
    expect(one.predictions).toEqual([{ label: 'setosa', probabilities: expect.any(Object) }]);
    const batch = await client.predict('iris', [iris, iris], { version: '1' });
    expect(batch.predictions).toHaveLength(2);
    expect(batch.predictions[1]).toEqual(one.predictions[0]);
  });

  it('throws invalid_features with each issue by path for bad instances', async () => {
    const client = createPredictionClient({ baseUrl: server.url });
    const error = await rejection(client.predict('iris', [iris, { ...iris, petal_length: 11 }]));
    expect(error.status).toBe(422);
    expect(error.code).toBe('invalid_features');
    expect(error.issues).toEqual([{ path: 'instances[1].petal_length', message: 'must be a number ≥ 0 and ≤ 10, got 11' }]);
    expect(error.message).toBe('1 invalid field: instances[1].petal_length must be a number ≥ 0 and ≤ 10, got 11');
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('throws model_not_found for a model that is not served', async () => {
    const error = await rejection(createPredictionClient({ baseUrl: server.url }).getModel('nope'));
    expect(error.body).toEqual({
      error: {
        status: 404,
        code: 'model_not_found',
        message: "model 'nope' is not served; available: cars-lgbm, diabetes, disaster-tweets, iris, loans-mixed, sentiment",
        requestId: expect.any(String),
      },
    });
  });

  it('sends its API key; without one the server answers unauthorized', async () => {
    expect((await createPredictionClient({ baseUrl: keyed.url, apiKey: 'client-key' }).predict('iris', iris)).predictions).toHaveLength(1);
    const error = await rejection(createPredictionClient({ baseUrl: keyed.url }).listModels());
    expect([error.status, error.code]).toEqual([401, 'unauthorized']);
  });

  it('throws unexpected_response when an answer is not the contract or not the envelope', async () => {
    const stub = (status: number, text: string) => createPredictionClient({ baseUrl: server.url, fetch: async () => new Response(text, { status }) });
    const drifted = await rejection(stub(200, '{"status": "fine"}').health());
    expect([drifted.status, drifted.code]).toEqual([200, 'unexpected_response']);
    expect(drifted.message).toBe('/health answered outside its contract: status Invalid input: expected "ok"');
    const proxy = await rejection(stub(502, '<html>Bad Gateway</html>').health());
    expect([proxy.status, proxy.code, proxy.message]).toEqual([502, 'unexpected_response', '/health answered 502 without the error envelope: <html>Bad Gateway</html>']);
  });
});
