// A typed client for the v1 API over fetch. Every answer is parsed with the same zod schemas the OpenAPI document
// is generated from, so a server that drifts from its contract fails loudly here instead of deep in a caller.
import type { z } from 'zod';
import { errorBodySchema, type ErrorBody } from './error-body';
import { predictResponseSchema, type PredictResponse } from './predict-schemas';
import {
  healthSchema,
  modelDetailSchema,
  modelListSchema,
  readySchema,
  versionSchema,
  type HealthBody,
  type ModelDetail,
  type ModelSummary,
  type ReadyBody,
  type VersionBody,
} from './service-schemas';

export interface PredictionClientOptions {
  /** Where the server is, e.g. http://127.0.0.1:8080 (a path prefix is kept). */
  baseUrl: string;
  /** Sent as x-api-key when the server requires a key. */
  apiKey?: string;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** A features-mode instance (named features) or a raw-mode one (the ONNX input row, or rows by input name). */
export type Instance = Record<string, unknown> | unknown[] | number | string | boolean;

export interface PredictionClient {
  health(): Promise<HealthBody>;
  /** Answers on 200 (ready) and on 503 (still loading) alike. */
  ready(): Promise<ReadyBody>;
  version(): Promise<VersionBody>;
  listModels(): Promise<ModelSummary[]>;
  getModel(name: string, version?: string): Promise<ModelDetail>;
  /** An array is a batch; anything else is one instance. Both are sent as {"instances": [...]}. */
  predict(name: string, input: Instance[] | Instance, options?: { version?: string }): Promise<PredictResponse>;
}

/** The server answered with its error envelope (or with something that is not the expected answer at all). */
export class PredictionApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly issues: ErrorBody['error']['issues'];
  readonly requestId: string | undefined;

  constructor(readonly body: ErrorBody) {
    super(body.error.message);
    this.name = 'PredictionApiError';
    this.status = body.error.status;
    this.code = body.error.code;
    this.issues = body.error.issues;
    this.requestId = body.error.requestId;
  }
}

export function createPredictionClient(options: PredictionClientOptions): PredictionClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const send = options.fetch ?? fetch;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.apiKey !== undefined) headers['x-api-key'] = options.apiKey;

  async function call<T extends z.ZodType>(
    schema: T,
    path: string,
    init: { method?: string; body?: unknown; okStatuses?: number[] } = {},
  ): Promise<z.infer<T>> {
    const body = init.body === undefined ? undefined : JSON.stringify(init.body);
    const res = await send(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body,
    });
    const text = await res.text();
    const json = parseJson(text);
    if (res.ok || init.okStatuses?.includes(res.status)) {
      const parsed = schema.safeParse(json);
      if (parsed.success) return parsed.data;
      if (res.ok) {
        const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
        throw unexpected(res.status, `${path} answered outside its contract: ${problems.join('; ')}`);
      }
    }
    const envelope = errorBodySchema.safeParse(json);
    if (envelope.success) throw new PredictionApiError(envelope.data);
    throw unexpected(res.status, `${path} answered ${res.status} without the error envelope: ${text.slice(0, 200)}`);
  }

  const modelPath = (name: string, version?: string) =>
    `/v1/models/${encodeURIComponent(name)}${version === undefined ? '' : `/versions/${encodeURIComponent(version)}`}`;

  return {
    health: () => call(healthSchema, '/health'),
    ready: () => call(readySchema, '/ready', { okStatuses: [503] }),
    version: () => call(versionSchema, '/version'),
    listModels: async () => (await call(modelListSchema, '/v1/models')).models,
    getModel: (name, version) => call(modelDetailSchema, modelPath(name, version)),
    predict: (name, input, predictOptions = {}) =>
      call(predictResponseSchema, `${modelPath(name, predictOptions.version)}/predict`, {
        method: 'POST',
        body: { instances: Array.isArray(input) ? input : [input] },
      }),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function unexpected(status: number, message: string): PredictionApiError {
  return new PredictionApiError({ error: { status, code: 'unexpected_response', message } });
}
