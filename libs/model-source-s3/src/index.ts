// Public surface of @onnx-serve/model-source-s3: a model store in S3, mirrored locally and kept fresh.
export { S3ModelSource } from './s3-model-source';
export type { RefreshOutcome, S3ModelSourceOptions, SourceLogger, StartResult } from './s3-model-source';
export { parseS3Uri, S3LocationError } from './settings';
export type { S3Location } from './settings';
