// @onnx-serve/model-source-s3/settings: MODEL_S3_URI's parser, without the AWS SDK or the model store, for a process
// that only reads its configuration (the server's cluster primary).
export { parseS3Uri, S3LocationError } from './s3-location';
export type { S3Location } from './s3-location';
