import { describe, expect, it } from 'vitest';
import { parseS3Uri, S3LocationError, storeFileOf } from './s3-location';

describe('parseS3Uri', () => {
  it('reads the bucket and a prefix that always ends in "/", keeping the URI as written', () => {
    for (const [uri, bucket, prefix] of [
      ['s3://my-models/prod/models/', 'my-models', 'prod/models/'],
      ['s3://my-models/prod/models', 'my-models', 'prod/models/'],
      ['s3://my-models/', 'my-models', ''],
      ['s3://my-models', 'my-models', ''],
    ] as const) {
      expect(parseS3Uri(uri)).toEqual({ uri, bucket, prefix });
    }
  });

  it('refuses a URI that is not s3://, naming what was expected', () => {
    expect(() => parseS3Uri('https://my-models.s3.amazonaws.com/models/')).toThrow(
      new S3LocationError('"https://my-models.s3.amazonaws.com/models/" is not an S3 URI: expected s3://<bucket>/<prefix>/'),
    );
  });

  it('refuses an invalid bucket name', () => {
    expect(() => parseS3Uri('s3://My_Bucket/models/')).toThrow('"My_Bucket" is not a valid bucket name');
  });
});

describe('storeFileOf', () => {
  const location = parseS3Uri('s3://bucket/models/');

  it('accepts the files of the store layout, relative to the prefix', () => {
    expect(storeFileOf(location, 'models/iris/1/model.onnx')).toBe('iris/1/model.onnx');
    expect(storeFileOf(location, 'models/iris/1/spec.json')).toBe('iris/1/spec.json');
    expect(storeFileOf(location, 'models/iris/1/golden.json')).toBe('iris/1/golden.json');
    expect(storeFileOf(location, 'models/sentiment.onnx')).toBe('sentiment.onnx');
  });

  it('accepts any plain file of a version folder: external data may have any name the exporter gave it', () => {
    expect(storeFileOf(location, 'models/digits/1/digits-torch.onnx.data')).toBe('digits/1/digits-torch.onnx.data');
    expect(storeFileOf(location, 'models/llm/2/3f2a9c1e-weights')).toBe('llm/2/3f2a9c1e-weights');
  });

  it('ignores keys that are not store files', () => {
    for (const key of ['models/README.md', 'models/iris/notes.txt', 'models/iris/model.onnx', 'models/iris/1/data/w.bin', 'other/iris.onnx']) {
      expect(storeFileOf(location, key), key).toBeUndefined();
    }
  });

  it("takes the local store's rule for a model name and version (urlSafeSegment): 64 characters, not 100", () => {
    const longest = 'm'.repeat(64);
    const tooLong = 'm'.repeat(100);
    expect(storeFileOf(location, `models/${longest}/${longest}/model.onnx`)).toBe(`${longest}/${longest}/model.onnx`);
    expect(storeFileOf(location, `models/${longest}.onnx`)).toBe(`${longest}.onnx`);
    for (const key of [`models/${tooLong}/1/model.onnx`, `models/iris/${tooLong}/model.onnx`, `models/${tooLong}.onnx`, 'models/.onnx']) {
      expect(storeFileOf(location, key), key).toBeUndefined();
    }
  });

  it('ignores keys that would escape the local folder or hide in it', () => {
    for (const key of [
      'models/../1/model.onnx',
      'models/iris/../model.onnx',
      'models/.hidden.onnx',
      'models//1/model.onnx',
      'models/iris/1/..',
      'models/iris/1/.env',
    ]) {
      expect(storeFileOf(location, key), key).toBeUndefined();
    }
  });
});
