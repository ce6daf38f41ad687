// Where a model store lives in S3, parsed from the one string operators write: s3://bucket/prefix/
// and which keys under it are model-store files that may be written to local disk.
import { urlSafeSegment } from '@onnx-serve/inference/settings';

export interface S3Location {
  /** As the operator wrote it, for logs and errors. */
  uri: string;
  bucket: string;
  /** "" or ending in "/": every key of the store starts with it. */
  prefix: string;
}

export class S3LocationError extends Error {
  override name = 'S3LocationError';
}

// S3's bucket naming rules, loosely: 3-63 lowercase letters, digits, dots and dashes.
const bucketName = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(uri);
  if (!match) throw new S3LocationError(`${JSON.stringify(uri)} is not an S3 URI: expected s3://<bucket>/<prefix>/`);
  const [, bucket = '', rawPrefix = ''] = match;
  if (!bucketName.test(bucket)) {
    throw new S3LocationError(`${JSON.stringify(uri)}: ${JSON.stringify(bucket)} is not a valid bucket name`);
  }
  // "s3://b/models" and "s3://b/models/" mean the same folder; never match "models-old/" by accident.
  const prefix = rawPrefix === '' || rawPrefix.endsWith('/') ? rawPrefix : `${rawPrefix}/`;
  return { uri, bucket, prefix };
}

// A file of a version folder becomes a local file name: a plain name only, never "." or "..".
const plainFileName = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * The path of a store file relative to the store root, or undefined for any other key (folder markers, a README
 * beside the models, keys that would escape the local folder). Store files are a bare `<name>.onnx` and every
 * file of a version folder `<name>/<version>/`: model.onnx, spec.json, golden.json, and the external data files the
 * graph names, whatever the exporter called them (only model.onnx says which, and it is not read before the sync).
 */
export function storeFileOf(location: S3Location, key: string): string | undefined {
  if (!key.startsWith(location.prefix)) return undefined;
  const relative = key.slice(location.prefix.length);
  const segments = relative.split('/');
  // Names and versions follow the local store's rule, so a model it would skip is never downloaded.
  if (segments.length === 1) {
    const [file = ''] = segments;
    return file.endsWith('.onnx') && urlSafeSegment.test(file.slice(0, -'.onnx'.length)) ? relative : undefined;
  }
  const [name = '', version = '', file = ''] = segments;
  if (segments.length === 3 && urlSafeSegment.test(name) && urlSafeSegment.test(version) && plainFileName.test(file)) {
    return relative;
  }
  return undefined;
}
