// The reusable parts of the OpenAPI document: the shared wire schemas (generated from their zod schemas in one
// pass, so they $ref each other) and the error responses every route shares.
import { modelSpecSchema } from '@onnx-serve/feature-spec';
import * as z from 'zod';
import { errorBodySchema, fieldIssueSchema } from './error-body';
import {
  healthSchema,
  modelDetailSchema,
  modelListSchema,
  modelSignatureSchema,
  modelSummarySchema,
  readySchema,
  tensorSignatureSchema,
  versionSchema,
} from './service-schemas';

export type SchemaObject = Record<string, unknown>;

const componentPrefix = '#/components/schemas/';
export const schemaRef = (id: string): SchemaObject => ({ $ref: `${componentPrefix}${id}` });

/** A zod schema as an OpenAPI 3.1 schema object (JSON Schema 2020-12): 'input' for requests, 'output' for answers. */
export function toSchemaObject(schema: z.ZodType, io: 'input' | 'output'): SchemaObject {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io });
  return rest;
}

export function sharedSchemas(): Record<string, SchemaObject> {
  const registry = z.registry<{ id: string }>();
  const named: [string, z.ZodType][] = [
    ['ErrorBody', errorBodySchema],
    ['FieldIssue', fieldIssueSchema],
    ['Health', healthSchema],
    ['Ready', readySchema],
    ['Version', versionSchema],
    ['ModelSummary', modelSummarySchema],
    ['ModelList', modelListSchema],
    ['ModelDetail', modelDetailSchema],
    ['ModelSpec', modelSpecSchema],
    ['ModelSignature', modelSignatureSchema],
    ['TensorSignature', tensorSignatureSchema],
  ];
  for (const [id, schema] of named) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', uri: (id) => `${componentPrefix}${id}` });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _dialect, $id: _id, ...schema }]) => [id, schema as SchemaObject]),
  );
}

const errorResponse = (description: string, status: number, code: string, message: string) => ({
  description,
  content: {
    'application/json': {
      schema: schemaRef('ErrorBody'),
      example: { error: { status, code, message, requestId: '9b2f6a52-3c1e-4c39-8f5e-6f1f0c2a7d11' } },
    },
  },
});

const unavailableExample = (code: string, message: string) => ({
  value: { error: { status: 503, code, message, requestId: '9b2f6a52-3c1e-4c39-8f5e-6f1f0c2a7d11' } },
});

/** Every 503 a non-probe route can answer: the models still loading, the request timeout, the in-flight bound. */
const unavailableResponse = () => ({
  description:
    'Not served now; retry: `not_ready` while the models load, `timeout` past REQUEST_TIMEOUT_MS, ' +
    '`overloaded` past MAX_IN_FLIGHT requests in flight (answered at once, with Retry-After).',
  headers: {
    'Retry-After': { description: 'Seconds to wait before retrying; sent with `overloaded`.', schema: { type: 'integer' } },
  },
  content: {
    'application/json': {
      schema: schemaRef('ErrorBody'),
      examples: {
        not_ready: unavailableExample('not_ready', 'models are still loading; retry shortly'),
        timeout: unavailableExample('timeout', 'the request did not finish within 30000 ms'),
        overloaded: unavailableExample('overloaded', 'the server is at its limit of 256 requests in flight (MAX_IN_FLIGHT); retry after 1 s'),
      },
    },
  },
});

export const errorResponses = {
  InvalidJson: errorResponse('The body is not JSON.', 400, 'invalid_json', 'request body is not valid JSON: the body is empty'),
  ModelNotFound: errorResponse('No such model (or version) is served.', 404, 'model_not_found', "model 'nope' is not served; available: iris"),
  PayloadTooLarge: errorResponse('The body is over the size limit.', 413, 'payload_too_large', 'request body exceeds MAX_BODY_BYTES (4194304 bytes); send the instances in smaller batches'),
  InvalidFeatures: {
    description: 'The body does not fit the model: every bad field, by its path.',
    content: {
      'application/json': {
        schema: schemaRef('ErrorBody'),
        example: {
          error: {
            status: 422,
            code: 'invalid_features',
            message: '1 invalid field: instances[0].petal_length must be a number ≥ 0 and ≤ 10, got 11',
            issues: [{ path: 'instances[0].petal_length', message: 'must be a number ≥ 0 and ≤ 10, got 11' }],
          },
        },
      },
    },
  },
  Unauthorized: errorResponse(
    'No API key was sent.',
    401,
    'unauthorized',
    'an API key is required: send it as x-api-key or Authorization: Bearer <key>',
  ),
  Forbidden: errorResponse('The API key is not valid.', 403, 'forbidden', 'the API key is not valid'),
  RateLimited: errorResponse('Too many requests; see Retry-After.', 429, 'rate_limited', 'rate limit exceeded; retry after 2 s'),
  Unavailable: unavailableResponse(),
  InternalError: errorResponse('A server fault (its cause is logged, not returned).', 500, 'internal_error', 'internal server error'),
} as const;

export const responseRef = (name: keyof typeof errorResponses) => ({ $ref: `#/components/responses/${name}` });

/** The two ways a key may be sent; which the server accepts either way. */
export const securitySchemes = {
  apiKeyHeader: { type: 'apiKey', in: 'header', name: 'x-api-key' },
  bearer: { type: 'http', scheme: 'bearer' },
} as const;
