// MODEL_S3_URI and its companions, read and checked once at the entrypoint.
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { readServerConfig } from './config';

describe('S3 model source configuration', () => {
  it('is off without MODEL_S3_URI (the image serves its own MODEL_DIR)', () => {
    expect(readServerConfig({}).s3Models).toBeNull();
    expect(readServerConfig({ MODEL_S3_URI: '' }).s3Models).toBeNull();
  });

  it('reads the URI (parsed once, here), the refresh interval, the mirror folder and an S3-compatible endpoint', () => {
    expect(readServerConfig({ MODEL_S3_URI: 's3://models-bucket/prod/' }).s3Models).toEqual({
      location: { uri: 's3://models-bucket/prod/', bucket: 'models-bucket', prefix: 'prod/' },
      refreshSeconds: 60,
      cacheDir: tmpdir(),
      endpoint: undefined,
    });
    const env = {
      MODEL_S3_URI: 's3://models-bucket/prod',
      MODEL_REFRESH_SECONDS: '0',
      MODEL_CACHE_DIR: '/var/cache/models',
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000',
    };
    expect(readServerConfig(env).s3Models).toEqual({
      location: { uri: 's3://models-bucket/prod', bucket: 'models-bucket', prefix: 'prod/' },
      refreshSeconds: 0,
      cacheDir: '/var/cache/models',
      endpoint: 'http://127.0.0.1:9000',
    });
  });

  it('refuses a MODEL_S3_URI that is not s3://bucket/prefix, naming the variable', () => {
    expect(() => readServerConfig({ MODEL_S3_URI: 'https://models-bucket.s3.amazonaws.com/prod/' })).toThrow(
      'invalid configuration: MODEL_S3_URI: "https://models-bucket.s3.amazonaws.com/prod/" is not an S3 URI: expected s3://<bucket>/<prefix>/',
    );
  });

  it('refuses a negative refresh interval', () => {
    expect(() => readServerConfig({ MODEL_S3_URI: 's3://models-bucket/', MODEL_REFRESH_SECONDS: '-5' })).toThrow(
      /^invalid configuration: MODEL_REFRESH_SECONDS: /,
    );
  });
});
