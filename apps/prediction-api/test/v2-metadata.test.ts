// Server and model metadata, health and readiness over V2, on a server before and after its models load; every
// error under /v2 in the V2 shape {"error": "..."}, the v1 envelope untouched elsewhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, loadBundledModels, postJson, startTestServer, type TestServer } from './test-server';

const irisRow = { name: 'X', shape: [1, 4], datatype: 'FP32', data: [5.1, 3.5, 1.4, 0.2] };

describe('V2 before the models have loaded', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('is live, not ready (503), and model routes answer 503 in the V2 error shape', async () => {
    expect(await getJson(`${server.url}/v2/health/live`)).toMatchObject({ status: 200, body: { live: true } });
    expect(await getJson(`${server.url}/v2/health/ready`)).toMatchObject({ status: 503, body: { ready: false } });
    expect(await getJson(`${server.url}/v2/models/iris/ready`)).toMatchObject({ status: 503, body: { name: 'iris', ready: false } });
    const loading = { error: 'models are still loading; retry shortly' };
    expect(await getJson(`${server.url}/v2/models/iris`)).toMatchObject({ status: 503, body: loading });
    expect(await postJson(`${server.url}/v2/models/iris/infer`, { inputs: [irisRow] })).toMatchObject({ status: 503, body: loading });
  });

  it('becomes ready once a registry is in use', async () => {
    server.catalog.use(await loadBundledModels());
    expect(await getJson(`${server.url}/v2/health/ready`)).toMatchObject({ status: 200, body: { ready: true } });
    expect(await getJson(`${server.url}/v2/models/iris/ready`)).toMatchObject({ status: 200, body: { name: 'iris', ready: true } });
  });
});

describe('V2 metadata with the bundled models', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ registry: await loadBundledModels(), limits: { maxBodyBytes: 2048 } });
  });
  afterAll(() => server.close());

  it('GET /v2 names the server, the app version and the binary tensor data extension, as Triton names it', async () => {
    const { status, body } = await getJson(`${server.url}/v2`);
    expect(status).toBe(200);
    expect(body).toEqual({ name: 'onnx-serve', version: '1.2.3-test', extensions: ['binary_tensor_data'] });
  });

  it('GET /v2/models/{name} lists each input and output with its V2 datatype and -1 for dynamic axes', async () => {
    const tensor = (name: string, datatype: string, shape: number[]) => ({ name, datatype, shape });
    const common = { versions: ['1'], platform: 'onnxruntime_onnx' };
    expect((await getJson(`${server.url}/v2/models/iris`)).body).toEqual({
      name: 'iris',
      ...common,
      inputs: [tensor('X', 'FP32', [-1, 4])],
      outputs: [tensor('output_label', 'INT64', [-1]), tensor('output_probability', 'FP32', [-1, 3])],
    });
    expect((await getJson(`${server.url}/v2/models/diabetes`)).body).toEqual({
      name: 'diabetes',
      ...common,
      inputs: [tensor('X', 'FP32', [-1, 10])],
      outputs: [tensor('variable', 'FP32', [-1, 1])],
    });
    expect((await getJson(`${server.url}/v2/models/sentiment`)).body).toEqual({
      name: 'sentiment',
      ...common,
      inputs: [tensor('review_text', 'BYTES', [-1, 1])],
      outputs: [tensor('label', 'INT64', [-1]), tensor('probabilities', 'FP32', [-1, 1])],
    });
    expect((await getJson(`${server.url}/v2/models/disaster-tweets`)).body).toEqual({
      name: 'disaster-tweets',
      ...common,
      inputs: ['keyword', 'location', 'text'].map((name) => tensor(name, 'BYTES', [-1, 1])),
      outputs: [tensor('label', 'INT64', [-1]), tensor('probabilities', 'FP32', [-1, 2])],
    });
  });

  it('answers the model paths under /versions/{version} for a served version, and 404 for another', async () => {
    const versioned = `${server.url}/v2/models/iris/versions/1`;
    const [byVersion, latest] = [await getJson(versioned), await getJson(`${server.url}/v2/models/iris`)];
    expect(byVersion.status).toBe(200);
    expect(byVersion.body).toEqual(latest.body);
    expect(await getJson(`${versioned}/ready`)).toMatchObject({ status: 200, body: { name: 'iris', ready: true } });
    const inferred = await postJson(`${versioned}/infer`, { inputs: [irisRow] });
    expect(inferred).toMatchObject({ status: 200, body: { model_name: 'iris', model_version: '1' } });
    const missing = await postJson(`${server.url}/v2/models/iris/versions/7/infer`, { inputs: [irisRow] });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: "model 'iris' version '7' is not served; available: cars-lgbm, diabetes, disaster-tweets, iris, loans-mixed, sentiment" });
    expect((await getJson(`${server.url}/v2/models/iris/versions/7/ready`)).status).toBe(404);
  });

  it('an unknown model is a 404 in the V2 shape, on every model path', async () => {
    const error = { error: "model 'nope' is not served; available: cars-lgbm, diabetes, disaster-tweets, iris, loans-mixed, sentiment" };
    expect(await getJson(`${server.url}/v2/models/nope`)).toMatchObject({ status: 404, body: error });
    expect(await getJson(`${server.url}/v2/models/nope/ready`)).toMatchObject({ status: 404, body: error });
    expect(await postJson(`${server.url}/v2/models/nope/infer`, { inputs: [irisRow] })).toMatchObject({ status: 404, body: error });
  });

  it('an unknown route under /v2 is a 404 in the V2 shape; the v1 envelope stays as it is elsewhere', async () => {
    const v2 = await getJson(`${server.url}/v2/models/iris/infer`);
    expect(v2.status).toBe(404);
    expect(v2.body).toEqual({ error: 'no route for GET /v2/models/iris/infer' });
    const v1 = await getJson(`${server.url}/v1/nothing-here`);
    expect(v1.body.error).toMatchObject({ status: 404, code: 'not_found', message: 'no route for GET /v1/nothing-here' });
  });

  it('a body over the size limit is a 413 in the V2 shape, though the app-wide middleware refuses it', async () => {
    const big = { inputs: [{ ...irisRow, shape: [200, 4], data: Array.from({ length: 800 }, () => 1.25) }] };
    const { status, body } = await postJson(`${server.url}/v2/models/iris/infer`, big);
    expect(status).toBe(413);
    expect(body).toEqual({ error: 'request body exceeds MAX_BODY_BYTES (2048 bytes); send the instances in smaller batches' });
  });
});
