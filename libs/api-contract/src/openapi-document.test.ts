import { createFeatureValidator, createRawValidator } from '@onnx-serve/feature-spec';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { bundledModel, bundledNames } from '../test/bundled-models';
import { modelExampleInstance, type DocumentedModel } from './model-schemas';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi-document';

const limits = { maxInstances: 50, maxStringLength: 2000 };
const featureModels = bundledNames.map((name) => bundledModel(name));
const rawModels = bundledNames.map((name) => bundledModel(name, 'raw'));
const allModels = [...featureModels, ...rawModels];

type Operation = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const post = (doc: OpenApiDocument, path: string) => doc.paths[path]!['post'] as Operation;

/** Every value of `key` anywhere in a JSON tree. */
function collect(node: unknown, key: string): unknown[] {
  if (Array.isArray(node)) return node.flatMap((item) => collect(item, key));
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([k, v]) => (k === key ? [v] : collect(v, key)));
}

describe('buildOpenApiDocument', () => {
  const doc = buildOpenApiDocument({ models: allModels, appVersion: '2.0.0', limits });

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    // The validator's types want its own document type; the JSON is what it checks.
    const result = await validator.validate(structuredClone(doc) as never);
    expect(result).toEqual({ valid: true });
    expect(validator.version).toBe('3.1');
    expect(doc.info).toMatchObject({ title: 'ONNX prediction API', version: '2.0.0' });
  });

  it('is valid for an empty model store too, with no predict operation', async () => {
    const empty = buildOpenApiDocument({ models: [], appVersion: '2.0.0' });
    expect(await new Validator().validate(structuredClone(empty) as never)).toEqual({ valid: true });
    expect(Object.keys(empty.paths).filter((path) => path.endsWith('/predict'))).toEqual([]);
  });

  it('points every $ref at a component that exists', () => {
    const refs = [...new Set(collect(doc, '$ref'))] as string[];
    expect(refs.sort()).toEqual([
      ...['InternalError', 'InvalidFeatures', 'InvalidJson', 'ModelNotFound', 'PayloadTooLarge', 'Unavailable'].map((name) => `#/components/responses/${name}`),
      ...['ErrorBody', 'FieldIssue', 'Health', 'ModelDetail', 'ModelList', 'ModelSignature', 'ModelSpec', 'ModelSummary', 'Ready', 'TensorSignature', 'Version'].map(
        (name) => `#/components/schemas/${name}`,
      ),
    ]);
    for (const ref of refs) {
      const [, , kind, name] = ref.split('/') as [string, string, 'schemas' | 'responses', string];
      expect(doc.components[kind], ref).toHaveProperty([name]);
    }
  });

  it('points to the V2 API and its binary tensor data extension, which the document does not describe', () => {
    expect(doc.info.description).toContain(
      "The same models also answer the Open Inference Protocol (KServe/Triton \"V2\") under `/v2`, not described here: " +
        "`GET /v2/models/{name}` for the tensors, `POST /v2/models/{name}/infer` with JSON `data`, or with Triton's binary tensor " +
        'data extension (`Inference-Header-Content-Length` header, `parameters.binary_data_size` per input, ' +
        '`binary_data` / `binary_data_output` for binary outputs); its errors are `{"error": "<message>"}`.',
    );
  });

  it('has one predict operation per model for its latest version and one per version', () => {
    const iris = bundledModel('iris');
    const two = buildOpenApiDocument({ models: [{ ...iris, version: '1' }, { ...iris, version: '2' }], appVersion: '1' });
    expect(Object.keys(two.paths)).toEqual([
      '/health',
      '/ready',
      '/version',
      '/v1/models',
      '/v1/models/{name}',
      '/v1/models/{name}/versions/{version}',
      '/v1/models/iris/predict',
      '/v1/models/iris/versions/1/predict',
      '/v1/models/iris/versions/2/predict',
    ]);
    expect(post(two, '/v1/models/iris/predict')['summary']).toBe('Predict with iris (latest version)');
    const latestModel = post(two, '/v1/models/iris/predict')['responses'][200].content['application/json'].schema;
    expect(latestModel.properties.model.properties.version).toEqual({ type: 'string', const: '2' });
    expect(two.tags.map((tag) => tag.name)).toEqual(['service', 'models', 'iris']);
  });

  it.each(allModels.map((model) => [model.name, model] as const))(
    "%s: every request example passes the server's own validator",
    (name, model: DocumentedModel) => {
      const examples = post(doc, `/v1/models/${name}/predict`)['requestBody'].content['application/json'].examples;
      const instance = modelExampleInstance(model);
      expect(examples.batch.value).toEqual({ instances: [instance] });
      const validate = model.spec ? createFeatureValidator(model.spec, limits) : createRawValidator(model.signature, limits);
      for (const example of Object.values(examples) as { value: unknown }[]) {
        expect(() => validate(example.value), JSON.stringify(example.value)).not.toThrow();
      }
      // A bare instance is a features-mode form only.
      expect(Object.keys(examples)).toEqual(model.spec ? ['batch', 'instance'] : ['batch']);
    },
  );

  it('describes a features request with the spec: bounds, units, required, defaults and the server limits', () => {
    const irisBody = post(doc, '/v1/models/iris/predict')['requestBody'].content['application/json'].schema;
    const [batch, bare] = irisBody.anyOf;
    expect(batch.properties.instances).toMatchObject({ type: 'array', minItems: 1, maxItems: 50 });
    expect(bare.properties.petal_length).toEqual({
      type: 'number',
      minimum: 0,
      maximum: 10,
      description: 'Petal length; 1.0–6.9 in the training data (unit: cm)',
      examples: [1.4],
    });
    expect(bare.required).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    const tweets = post(doc, '/v1/models/disaster-tweets/predict')['requestBody'].content['application/json'].schema.anyOf[1];
    expect(tweets.required).toEqual(['text']);
    expect(tweets.properties.keyword).toMatchObject({ type: 'string', maxLength: 100, default: '' });
  });

  it('describes a raw request from the ONNX signature: rows of the input shape, or objects by input name', () => {
    const body = (name: string) => post(doc, `/v1/models/${name}/predict`)['requestBody'].content['application/json'].schema;
    expect(body('diabetes-raw').properties.instances.items).toEqual({ type: 'array', minItems: 10, maxItems: 10, items: { type: 'number' } });
    const tweets = body('disaster-tweets-raw').properties.instances.items;
    expect(tweets.required).toEqual(['keyword', 'location', 'text']);
    expect(tweets.properties.text.anyOf).toEqual([
      { type: 'array', minItems: 1, maxItems: 1, items: { type: 'string', maxLength: 2000 } },
      { type: 'string', maxLength: 2000 },
    ]);
  });

  it("names a classifier's classes and a regression's value in the response schema", () => {
    const predictions = (name: string) =>
      post(doc, `/v1/models/${name}/predict`)['responses'][200].content['application/json'].schema.properties.predictions.items;
    expect(predictions('iris').properties.label).toEqual({ type: 'string', enum: ['setosa', 'versicolor', 'virginica'] });
    expect(predictions('iris').properties.probabilities.required).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(predictions('sentiment').properties.scores.propertyNames.enum).toEqual(['negative', 'positive']);
    expect(predictions('diabetes')).toEqual({
      type: 'object',
      properties: { value: { type: 'number' } },
      required: ['value'],
      additionalProperties: false,
    });
    expect(predictions('disaster-tweets').properties.defaulted.items.enum).toEqual(['keyword', 'location']);
  });

  it('answers every route in the one error envelope', () => {
    // /ready's 503 is its own answer (status "loading"), not an error.
    const { '/ready': _ready, ...others } = doc.paths;
    const operations = Object.values(others).flatMap((methods) => Object.values(methods)) as Operation[];
    for (const operation of operations) {
      for (const [status, response] of Object.entries(operation['responses'] as Record<string, Operation>)) {
        if (Number(status) >= 400) expect(response['$ref'], status).toMatch(/^#\/components\/responses\//);
      }
    }
    expect(doc.components.schemas['ErrorBody']).toMatchObject({ required: ['error'] });
  });

  it('documents the 503s (loading, timeout, overloaded with Retry-After) on every operation but the probes', () => {
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const operation of Object.values(methods) as Operation[]) {
        const unavailable = (operation['responses'] as Record<string, Operation>)['503'];
        if (path === '/health' || path === '/ready') expect(unavailable?.['$ref'], path).toBeUndefined();
        else expect(unavailable, path).toEqual({ $ref: '#/components/responses/Unavailable' });
      }
    }
    const unavailable = doc.components.responses.Unavailable;
    expect(Object.keys(unavailable.content['application/json'].examples)).toEqual(['not_ready', 'timeout', 'overloaded']);
    expect(unavailable.headers).toHaveProperty(['Retry-After']);
  });

  it('with API keys and a rate limit, requires a key and documents 401/403/429 everywhere but the probes', () => {
    const guarded = buildOpenApiDocument({ models: featureModels, appVersion: '1', access: { apiKeys: true, rateLimit: true } });
    const predict = post(guarded, '/v1/models/iris/predict');
    expect(predict['security']).toEqual([{ apiKeyHeader: [] }, { bearer: [] }]);
    expect(Object.keys(predict['responses'])).toEqual(['200', '400', '401', '403', '404', '413', '422', '429', '500', '503']);
    const health = guarded.paths['/health']!['get'] as Operation;
    expect(health['security']).toBeUndefined();
    expect(Object.keys(health['responses'])).toEqual(['200']);
    expect(post(doc, '/v1/models/iris/predict')['security']).toBeUndefined();
  });
});
