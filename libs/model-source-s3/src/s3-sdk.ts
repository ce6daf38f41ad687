// The AWS SDK, imported when an S3 source first talks to S3: it is most of the server's bundle, and a server that
// serves its own MODEL_DIR never needs it (the bundle keeps it in a chunk of its own, read only then).
export type S3Sdk = typeof import('@aws-sdk/client-s3');

let sdk: Promise<S3Sdk> | undefined;

export function s3Sdk(): Promise<S3Sdk> {
  // The SDK is CommonJS: node's import() gives its exports by name, an esbuild chunk only as `default`.
  sdk ??= import('@aws-sdk/client-s3').then((module) => ('S3Client' in module ? module : (module as { default: S3Sdk }).default));
  return sdk;
}
