// The OpenAPI 3.1 document of the v1 API, generated from the zod schemas the server validates with: one predict
// operation per served model (and per version), each with its own request schema, response schema and examples.
import {
  errorResponses,
  responseRef,
  schemaRef,
  securitySchemes,
  sharedSchemas,
  toSchemaObject,
  type SchemaObject,
} from './openapi-components';
import {
  modelExampleInstance,
  modelRequestSchema,
  modelResponseSchema,
  type DocumentedModel,
  type RequestLimits,
} from './model-schemas';

export interface OpenApiOptions {
  /** Every served model, each name's versions oldest first (as the registry lists them): the last is the latest. */
  models: DocumentedModel[];
  appVersion: string;
  limits?: RequestLimits;
  /** What the server's protection demands of every route but the probes (/health, /ready). */
  access?: { apiKeys?: boolean; rateLimit?: boolean };
}

export type OpenApiDocument = {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  tags: { name: string; description?: string }[];
  paths: Record<string, Record<string, SchemaObject>>;
  components: {
    schemas: Record<string, SchemaObject>;
    responses: typeof errorResponses;
    securitySchemes: typeof securitySchemes;
  };
};

const json = (schema: SchemaObject, extra: SchemaObject = {}) => ({ content: { 'application/json': { schema, ...extra } } });
const ok = (description: string, schema: SchemaObject) => ({ description, ...json(schema) });
const segment = (value: string) => encodeURIComponent(value);

export function buildOpenApiDocument(options: OpenApiOptions): OpenApiDocument {
  const names = [...new Set(options.models.map((model) => model.name))];
  const paths: OpenApiDocument['paths'] = { ...servicePaths(), ...modelPaths(names) };
  const tags: OpenApiDocument['tags'] = [
    { name: 'service', description: 'Probes and build facts.' },
    { name: 'models', description: 'What is served: each model with its spec and ONNX signature.' },
  ];
  for (const name of names) {
    const versions = options.models.filter((model) => model.name === name);
    const latest = versions.at(-1);
    if (!latest) continue;
    tags.push({ name, description: latest.spec?.description ?? 'Raw mode: no spec, instances are the ONNX input rows.' });
    paths[`/v1/models/${segment(name)}/predict`] = { post: predictOperation(latest, options.limits, 'latest version') };
    for (const model of versions) {
      paths[`/v1/models/${segment(name)}/versions/${segment(model.version)}/predict`] = {
        post: predictOperation(model, options.limits, `version ${model.version}`),
      };
    }
  }
  guardOperations(paths, options.access ?? {});
  return {
    openapi: '3.1.0',
    info: {
      title: 'ONNX prediction API',
      version: options.appVersion,
      description:
        'Predictions from the ONNX models this server loaded. Every error, on every route, is one JSON envelope: ' +
        '`{"error": {"status", "code", "message", "issues"?, "requestId"?}}`; validation errors list each bad field by its path. ' +
        'The same models also answer the Open Inference Protocol (KServe/Triton "V2") under `/v2`, not described here: ' +
        '`GET /v2/models/{name}` for the tensors, `POST /v2/models/{name}/infer` with JSON `data`, or with Triton\'s binary tensor ' +
        'data extension (`Inference-Header-Content-Length` header, `parameters.binary_data_size` per input, ' +
        '`binary_data` / `binary_data_output` for binary outputs); its errors are `{"error": "<message>"}`.',
    },
    tags,
    paths,
    components: { schemas: sharedSchemas(), responses: errorResponses, securitySchemes },
  };
}

const probes = new Set(['/health', '/ready']);

/** Adds the 503s, the key requirement and the 401/403/429 answers to every operation past the probes. */
function guardOperations(paths: OpenApiDocument['paths'], access: NonNullable<OpenApiOptions['access']>): void {
  for (const [path, operations] of Object.entries(paths)) {
    if (probes.has(path)) continue;
    for (const operation of Object.values(operations)) {
      const responses = operation['responses'] as Record<string, unknown>;
      responses[503] = responseRef('Unavailable');
      if (access.apiKeys) {
        operation['security'] = [{ apiKeyHeader: [] }, { bearer: [] }];
        responses[401] = responseRef('Unauthorized');
        responses[403] = responseRef('Forbidden');
      }
      if (access.rateLimit) responses[429] = responseRef('RateLimited');
    }
  }
}

function servicePaths(): OpenApiDocument['paths'] {
  return {
    '/health': { get: { tags: ['service'], summary: 'Liveness: the process answers.', responses: { 200: ok('Alive.', schemaRef('Health')) } } },
    '/ready': {
      get: {
        tags: ['service'],
        summary: 'Readiness: every model has loaded.',
        responses: { 200: ok('Ready.', schemaRef('Ready')), 503: ok('Still loading.', schemaRef('Ready')) },
      },
    },
    '/version': {
      get: {
        tags: ['service'],
        summary: 'The server version and each model file by sha256.',
        responses: { 200: ok('Build facts.', schemaRef('Version')) },
      },
    },
  };
}

function modelPaths(names: string[]): OpenApiDocument['paths'] {
  // The served names, so the docs UI offers a choice instead of a blank.
  const nameParameter = { name: 'name', in: 'path', required: true, schema: { type: 'string', ...(names.length > 0 ? { enum: names } : {}) } };
  const versionParameter = { name: 'version', in: 'path', required: true, schema: { type: 'string' } };
  const describe = (summary: string, parameters: SchemaObject[]) => ({
    get: {
      tags: ['models'],
      summary,
      parameters,
      responses: { 200: ok('The model.', schemaRef('ModelDetail')), 404: responseRef('ModelNotFound') },
    },
  });
  return {
    '/v1/models': {
      get: {
        tags: ['models'],
        summary: 'Every served model, with its latest version and mode.',
        responses: { 200: ok('The models.', schemaRef('ModelList')) },
      },
    },
    '/v1/models/{name}': describe("A model's latest version: spec, ONNX signature, patches.", [nameParameter]),
    '/v1/models/{name}/versions/{version}': describe('One version of a model.', [nameParameter, versionParameter]),
  };
}

function predictOperation(model: DocumentedModel, limits: RequestLimits | undefined, which: string): SchemaObject {
  const example = modelExampleInstance(model);
  const examples: Record<string, { summary: string; value: unknown }> = {
    batch: { summary: 'A batch of instances', value: { instances: [example] } },
  };
  if (model.spec) examples['instance'] = { summary: 'One bare instance', value: example };
  return {
    tags: [model.name],
    summary: `Predict with ${model.name} (${which})`,
    description: model.spec
      ? 'Send `{"instances": [...]}` or one bare instance. Features with a default may be left out (or null); each prediction lists those it filled in `defaulted`.'
      : 'Raw mode: send `{"instances": [...]}`, each instance the ONNX input row (an object keyed by input name when the model has several inputs).',
    requestBody: { required: true, ...json(toSchemaObject(modelRequestSchema(model, limits), 'input'), { examples }) },
    responses: {
      200: ok('One prediction per instance, in order.', toSchemaObject(modelResponseSchema(model), 'output')),
      400: responseRef('InvalidJson'),
      404: responseRef('ModelNotFound'),
      413: responseRef('PayloadTooLarge'),
      422: responseRef('InvalidFeatures'),
      500: responseRef('InternalError'),
    },
  };
}
