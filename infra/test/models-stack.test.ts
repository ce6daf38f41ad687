import { describe, expect, it } from 'vitest';
import { modelsProps } from '../src/app';
import { ModelsStack } from '../src/stacks/models-stack';
import { loadConfig, statements, synthStack, theResource } from './synthesized';

const config = loadConfig('prod');
const json = synthStack((app) => new ModelsStack(app, modelsProps(config)));
const BUCKET_REF = '${aws_s3_bucket.models_bucket_';

describe('models stack (shared)', () => {
  it('creates the bucket named by the account values, kept when not empty in prod', () => {
    expect(theResource(json, 'aws_s3_bucket')).toEqual({ bucket: 'onnx-serve-test-models-123456789012', force_destroy: false });
  });

  it('versions, encrypts and blocks all public access on that bucket', () => {
    expect(theResource(json, 'aws_s3_bucket_versioning')).toMatchObject({ versioning_configuration: { status: 'Enabled' } });
    expect(theResource(json, 'aws_s3_bucket_server_side_encryption_configuration')).toMatchObject({
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }],
    });
    expect(theResource(json, 'aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(theResource(json, 'aws_s3_bucket_ownership_controls')).toMatchObject({ rule: { object_ownership: 'BucketOwnerEnforced' } });
    for (const type of ['aws_s3_bucket_versioning', 'aws_s3_bucket_server_side_encryption_configuration', 'aws_s3_bucket_public_access_block']) {
      expect(String(theResource(json, type)['bucket'])).toContain(BUCKET_REF);
    }
  });

  it('denies every request that is not over TLS', () => {
    const [statement, ...others] = statements(theResource(json, 'aws_s3_bucket_policy'));
    expect(others).toEqual([]);
    expect(statement).toMatchObject({
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    expect(statement!.Resource).toEqual([expect.stringContaining(BUCKET_REF), expect.stringMatching(/\.arn}\/\*$/)]);
  });

  it('expires old versions after the configured days', () => {
    expect(theResource(json, 'aws_s3_bucket_lifecycle_configuration')).toMatchObject({
      rule: [{ status: 'Enabled', noncurrent_version_expiration: [{ noncurrent_days: 90 }] }],
    });
  });

  it('outputs the URI the services’ prefixes live under', () => {
    expect(json.output?.['model_uri']).toEqual({ value: 's3://onnx-serve-test-models-123456789012/models/' });
  });

  it('keeps its state under its own key in the S3 backend', () => {
    expect(json.terraform?.backend?.['s3']).toEqual({
      bucket: 'test-tfstate-123456789012',
      region: 'us-east-1',
      key: 'onnx-serve/prod/models.tfstate',
      encrypt: true,
      use_lockfile: true,
    });
  });
});
