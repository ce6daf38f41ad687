// /openapi.json as the real server serves it: a valid OpenAPI 3.1 document whose every predict example the server
// accepts and answers as documented, rebuilt when the model registry is swapped; and /docs with its assets local.
import { createPredictionClient, modelResponseSchema } from '@onnx-serve/api-contract';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotReadyError, OverloadedError, RequestTimeoutError } from '../src/errors';
import { parseApiKeys } from '../src/middleware/api-keys';
import { defaultProtection } from '../src/middleware/protection-settings';
import { bareModelStore } from './bare-models';
import { getJson, loadBundledModels, postJson, startTestServer, type TestServer } from './test-server';

const predictPath = /^\/v1\/models\/([^/]+)(?:\/versions\/([^/]+))?\/predict$/;

/** Posts every request example of every predict operation and checks the answer against the documented schema. */
async function expectEveryExampleToPredict(server: TestServer): Promise<number> {
  const { body: doc } = await getJson(`${server.url}/openapi.json`);
  const client = createPredictionClient({ baseUrl: server.url });
  let sent = 0;
  for (const [path, { post }] of Object.entries(doc.paths as Record<string, Record<string, any>>)) { // eslint-disable-line @typescript-eslint/no-explicit-any
    const [, name, version] = predictPath.exec(path) ?? [];
    if (!name) continue;
    const model = await client.getModel(decodeURIComponent(name), version && decodeURIComponent(version));
    const responseSchema = modelResponseSchema(model);
    for (const [which, example] of Object.entries(post.requestBody.content['application/json'].examples as Record<string, { value: unknown }>)) {
      const { status, body } = await postJson(`${server.url}${path}`, example.value);
      expect(status, `${path} ${which}: ${JSON.stringify(body)}`).toBe(200);
      expect(responseSchema.safeParse(body).error, `${path} ${which} answered outside its documented schema`).toBeUndefined();
      sent++;
    }
  }
  return sent;
}

describe('/openapi.json and /docs over the bundled models', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ registry: await loadBundledModels() });
  });
  afterAll(() => server.close());

  it('serves a valid OpenAPI 3.1 document naming the app version', async () => {
    const { status, body, headers } = await getJson(`${server.url}/openapi.json`);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('application/json');
    const validator = new Validator();
    expect(await validator.validate(body)).toEqual({ valid: true });
    expect(validator.version).toBe('3.1');
    expect(body.info.version).toBe('1.2.3-test');
    expect(body.paths['/v1/models/{name}'].get.parameters[0].schema.enum).toEqual(['cars-lgbm', 'diabetes', 'disaster-tweets', 'iris', 'loans-mixed', 'sentiment']);
  });

  it('documents a number that may be missing as optional and nullable, and the prediction\'s list of them', async () => {
    const { body } = await getJson(`${server.url}/openapi.json`);
    const operation = body.paths['/v1/models/cars-lgbm/predict'].post;
    const [batch] = operation.requestBody.content['application/json'].schema.anyOf;
    const instance = batch.properties.instances.items;
    expect(instance.required).toEqual(['model_year', 'engine_displacement_l', 'horsepower', 'curb_weight_kg']);
    expect(instance.properties.mileage_km.anyOf).toEqual([{ type: 'number', minimum: 0 }, { type: 'null' }]);
    const prediction = operation.responses['200'].content['application/json'].schema.properties.predictions.items;
    expect(prediction.properties.missing.items.enum).toEqual(['mileage_km', 'previous_owners']);
  });

  it("documents the 503s in the server's own words, at its default limits", async () => {
    const { body } = await getJson(`${server.url}/openapi.json`);
    const examples = body.components.responses.Unavailable.content['application/json'].examples;
    const documented = Object.values(examples as Record<string, { value: { error: { code: string; message: string } } }>).map(({ value }) => value.error);
    const served = [new NotReadyError(), new RequestTimeoutError(defaultProtection.requestTimeoutMs), new OverloadedError(defaultProtection.maxInFlight)];
    expect(documented).toEqual(served.map(({ code, message }) => expect.objectContaining({ code, message })));
  });

  it('every predict example, batched and bare, is accepted by the server and answered as documented', async () => {
    // 6 models × (latest + version 1) × (batch + bare instance)
    expect(await expectEveryExampleToPredict(server)).toBe(24);
  });

  it('/docs is Swagger UI over /openapi.json with its script and stylesheet served from here', async () => {
    const res = await fetch(`${server.url}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    const html = await res.text();
    expect(html).toContain('<link rel="stylesheet" href="docs/assets/swagger-ui-dist/swagger-ui.css" />');
    expect(html).toContain('<script src="docs/assets/swagger-ui-dist/swagger-ui-bundle.js" crossorigin="anonymous"></script>');
    expect(html).toContain("url: 'openapi.json'");
    expect(html).not.toMatch(/https?:\/\//);
    for (const [file, type, marker] of [
      ['swagger-ui.css', 'text/css; charset=utf-8', '.swagger-ui'],
      ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8', 'SwaggerUIBundle'],
    ] as const) {
      const asset = await fetch(`${server.url}/docs/assets/swagger-ui-dist/${file}`);
      expect(asset.status, file).toBe(200);
      expect(asset.headers.get('content-type')).toBe(type);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=86400');
      expect(await asset.text()).toContain(marker);
    }
  });

  it('refuses any other asset name, traversal included, with the 404 envelope', async () => {
    for (const file of ['index.html', 'constructor', '..%2Fpackage.json', 'swagger-ui.css.map']) {
      const { status, body } = await getJson(`${server.url}/docs/assets/swagger-ui-dist/${file}`);
      expect(status, file).toBe(404);
      expect(body.error.code, file).toBe('not_found');
    }
  });
});

describe('/openapi.json over a swapped registry and raw-mode models', () => {
  let server: TestServer;
  const store = bareModelStore({ 'diabetes-rf.onnx': 'diabetes', 'iris-zipmap.onnx': 'iris', 'tweets.onnx': 'disaster-tweets' });
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
    store.remove();
  });

  it('answers 503 not_ready before the models load, then documents whichever registry is in use', async () => {
    const before = await getJson(`${server.url}/openapi.json`);
    expect(before.status).toBe(503);
    expect(before.body.error.code).toBe('not_ready');

    server.catalog.use(await store.load());
    const raw = await getJson(`${server.url}/openapi.json`);
    expect(raw.body.paths['/v1/models/{name}'].get.parameters[0].schema.enum).toEqual(['diabetes-rf', 'iris-zipmap', 'tweets']);
    // Raw mode has no bare form: 3 models × (latest + version 1) × batch.
    expect(await expectEveryExampleToPredict(server)).toBe(6);

    server.catalog.use(await loadBundledModels());
    const swapped = await getJson(`${server.url}/openapi.json`);
    expect(Object.keys(swapped.body.paths)).toContain('/v1/models/iris/predict');
    expect(Object.keys(swapped.body.paths)).not.toContain('/v1/models/tweets/predict');
  });
});

describe('/openapi.json behind API keys and a rate limit', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      registry: await loadBundledModels(),
      protection: { apiKeys: parseApiKeys('docs-test-key'), rateLimit: { perMinute: 600, burst: 600 } },
    });
  });
  afterAll(() => server.close());

  it('documents the key schemes and the 401/403/429 answers that the server really gives', async () => {
    const { status, body } = await getJson(`${server.url}/openapi.json`, { 'x-api-key': 'docs-test-key' });
    expect(status).toBe(200);
    expect(body.components.securitySchemes).toEqual({
      apiKeyHeader: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      bearer: { type: 'http', scheme: 'bearer' },
    });
    const predict = body.paths['/v1/models/iris/predict'].post;
    expect(predict.security).toEqual([{ apiKeyHeader: [] }, { bearer: [] }]);
    expect(Object.keys(predict.responses)).toEqual(expect.arrayContaining(['401', '403', '429']));
    expect(body.paths['/health'].get.security).toBeUndefined();

    const keyless = await postJson(`${server.url}/v1/models/iris/predict`, {});
    expect(keyless.status).toBe(401);
    expect(keyless.body.error.code).toBe(body.components.responses.Unauthorized.content['application/json'].example.error.code);
  });
});
