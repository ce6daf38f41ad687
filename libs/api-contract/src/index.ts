// Public surface of @onnx-serve/api-contract: the v1 wire schemas in zod, the OpenAPI 3.1 document built from
// them, and a typed client. Pure TypeScript: no I/O but the client's fetch, no server code.
export { errorBodySchema, fieldIssueSchema } from './error-body';
export type { ErrorBody } from './error-body';

export {
  healthSchema,
  readySchema,
  versionSchema,
  modelSummarySchema,
  modelListSchema,
  modelDetailSchema,
  modelSignatureSchema,
  tensorSignatureSchema,
} from './service-schemas';
export type { HealthBody, ReadyBody, VersionBody, ModelSummary, ModelList, ModelDetail } from './service-schemas';

export {
  predictRequestSchema,
  predictionSchema,
  classPredictionSchema,
  regressionPredictionSchema,
  rawPredictionSchema,
  predictResponseSchema,
} from './predict-schemas';
export type {
  AnyPrediction,
  ClassPrediction,
  RegressionPrediction,
  RawPrediction,
  RawValue,
  PredictResponse,
} from './predict-schemas';

export { rawInstanceSchema, rawExampleInstance, rawPredictionSchemaFor } from './raw-schemas';
export { modelRequestSchema, modelResponseSchema, modelExampleInstance } from './model-schemas';
export type { DocumentedModel, RequestLimits } from './model-schemas';

export { buildOpenApiDocument } from './openapi-document';
export type { OpenApiDocument, OpenApiOptions } from './openapi-document';

export { createPredictionClient, PredictionApiError } from './prediction-client';
export type { Instance, PredictionClient, PredictionClientOptions } from './prediction-client';
