// Public surface of @onnx-serve/api-contract: the OpenAPI 3.1 document and each model's route schemas, built from
// the v1 wire schemas in zod, and a typed client. Pure TypeScript: no I/O but the client's fetch, no server code.
export type { ErrorBody } from './error-body';
export type { ClassPrediction } from './predict-schemas';

export { modelResponseSchema, modelExampleInstance } from './model-schemas';

export { buildOpenApiDocument } from './openapi-document';

export { createPredictionClient, PredictionApiError } from './prediction-client';
export type { Instance, PredictionClient, PredictionClientOptions } from './prediction-client';
