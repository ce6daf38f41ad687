// Probes, version facts and model metadata, on a server before and after its models load.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledModelDir, getJson, loadBundledModels, startTestServer, type TestServer } from './test-server';

const exampleModels = ['cars-lgbm', 'diabetes', 'disaster-tweets', 'iris', 'loans-mixed', 'sentiment'];

describe('before the models have loaded', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('is live but not ready, and prediction routes answer 503 not_ready', async () => {
    expect(await getJson(`${server.url}/health`)).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await getJson(`${server.url}/ready`)).toMatchObject({ status: 503, body: { status: 'loading' } });
    const models = await getJson(`${server.url}/v1/models`);
    expect(models.status).toBe(503);
    expect(models.body.error).toMatchObject({ status: 503, code: 'not_ready' });
  });

  it('becomes ready once a registry is in use', async () => {
    server.catalog.use(await loadBundledModels());
    expect(await getJson(`${server.url}/ready`)).toEqual(
      expect.objectContaining({ status: 200, body: { status: 'ready', models: 6 } }),
    );
  });
});

describe('with the bundled models', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ registry: await loadBundledModels() });
  });
  afterAll(() => server.close());

  it('GET /version names the app version and each model file by sha256', async () => {
    const { status, body } = await getJson(`${server.url}/version`);
    expect(status).toBe(200);
    expect(body.version).toBe('1.2.3-test');
    const sha = (name: string) =>
      createHash('sha256').update(readFileSync(join(bundledModelDir, name, '1', 'model.onnx'))).digest('hex');
    expect(body.models).toEqual(exampleModels.map((name) => ({ name, version: '1', sha256: sha(name) })));
  });

  it('GET /v1/models lists every example model with its task', async () => {
    const { status, body } = await getJson(`${server.url}/v1/models`);
    expect(status).toBe(200);
    expect(body.models.map((m: { name: string; task: string }) => [m.name, m.task])).toEqual([
      ['cars-lgbm', 'regression'],
      ['diabetes', 'regression'],
      ['disaster-tweets', 'classification'],
      ['iris', 'classification'],
      ['loans-mixed', 'classification'],
      ['sentiment', 'classification'],
    ]);
    expect(body.models[3]).toMatchObject({ version: '1', versions: ['1'], mode: 'features' });
  });

  it('GET /v1/models/iris gives the spec and the real ONNX signature, ZipMap served as a tensor', async () => {
    const { status, body } = await getJson(`${server.url}/v1/models/iris`);
    expect(status).toBe(200);
    expect(body.spec.features.map((f: { name: string }) => f.name)).toEqual([
      'sepal_length',
      'sepal_width',
      'petal_length',
      'petal_width',
    ]);
    expect(body.spec.outputs.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(body.signature.inputs).toEqual([{ name: 'X', dtype: 'float32', shape: [null, 4] }]);
    expect(body.signature.outputs[1]).toMatchObject({ name: 'output_probability', dtype: 'float32', zipMapClasses: [0, 1, 2] });
    expect(body.patches).toEqual(['output_probability: ZipMap served as a float32 [N,3] tensor']);
  });

  it('an unknown model is a 404 model_not_found that lists what is served', async () => {
    const { status, body } = await getJson(`${server.url}/v1/models/nope`);
    expect(status).toBe(404);
    expect(body).toEqual({
      error: {
        status: 404,
        code: 'model_not_found',
        message: "model 'nope' is not served; available: cars-lgbm, diabetes, disaster-tweets, iris, loans-mixed, sentiment",
        requestId: expect.any(String),
      },
    });
  });

  it('an unknown route is a 404 in the same error shape', async () => {
    const { status, body } = await getJson(`${server.url}/v1/nothing-here`);
    expect(status).toBe(404);
    expect(body.error).toMatchObject({ status: 404, code: 'not_found', message: 'no route for GET /v1/nothing-here' });
  });
});
