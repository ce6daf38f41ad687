// The bundled Lambda handler serving models from S3 (MODEL_S3_URI) against a real S3-compatible server (s3rver,
// its own process on loopback), with the SDK's endpoint from AWS_ENDPOINT_URL_S3: loaded in init, not fetched
// again by warm invocations (the mirrored files keep their inodes), refreshed when an object changes, and still
// serving the old models when a corrupt version is uploaded.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { bundledModelDir, functionUrlEvent } from '@onnx-serve/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceRoot } from '../build/image-targets';
import { stageFixtureImage, removeStagedCopies, startStagedLambda, type StagedLambda } from './staged-image';

const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }; // what s3rver accepts
const predictIris = functionUrlEvent({
  method: 'POST',
  path: '/v1/models/iris/predict',
  body: JSON.stringify({ instances: [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }] }),
});
const describeIris = functionUrlEvent({ method: 'GET', path: '/v1/models/iris' });
const pastRefreshInterval = () => new Promise((resolve) => setTimeout(resolve, 1_100));

let s3rver: ChildProcess;
let bucket: S3Client;
let scratch: string;
let lambda: StagedLambda;
let mirror: string;

const upload = async (key: string, body: Buffer | string) => {
  await bucket.send(new PutObjectCommand({ Bucket: 'models', Key: `store/${key}`, Body: body }));
};
const inode = async (file: string) => (await stat(join(mirror, file))).ino;
const irisDescription = async () => {
  const result = await lambda.invoke(describeIris);
  const body = JSON.parse(result.body) as { versions: string[]; spec: { description: string } };
  return { status: result.statusCode, versions: body.versions, description: body.spec.description };
};

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'lambda-s3-'));
  s3rver = spawn(
    process.execPath,
    [join(workspaceRoot, 'node_modules/s3rver/bin/s3rver.js'), '-d', join(scratch, 's3'), '-a', '127.0.0.1', '-p', '0', '--silent', '--configure-bucket', 'models'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const endpoint = await new Promise<string>((resolve) => {
    createInterface({ input: s3rver.stdout! }).on('line', (line) => {
      const address = /listening on (\S+:\d+)/.exec(line)?.[1];
      if (address) resolve(`http://${address}`);
    });
  });
  bucket = new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1', credentials });
  for (const name of ['iris', 'sentiment']) {
    for (const file of ['model.onnx', 'spec.json']) await upload(`${name}/1/${file}`, await readFile(join(bundledModelDir, name, '1', file)));
  }
  lambda = await startStagedLambda(await stageFixtureImage('lambda'), {
    MODEL_S3_URI: 's3://models/store/',
    MODEL_REFRESH_SECONDS: '1',
    MODEL_CACHE_DIR: join(scratch, 'cache'),
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  });
  mirror = (await lambda.logged('models loaded: ready'))['modelDir'] as string;
});
afterAll(async () => {
  s3rver?.kill();
  bucket?.destroy();
  await removeStagedCopies();
  await rm(scratch, { recursive: true, force: true });
});

describe('staged Lambda image with MODEL_S3_URI', () => {
  it("loads the bucket's models during init, and warm invocations fetch nothing again", async () => {
    const ready = await lambda.logged('models loaded: ready');
    expect(ready['modelS3Uri']).toBe('s3://models/store/');
    expect((ready['models'] as { name: string }[]).map((m) => m.name)).toEqual(['iris', 'sentiment']);
    const before = await Promise.all(['iris/1/model.onnx', 'iris/1/spec.json', 'sentiment/1/model.onnx'].map(inode));

    await pastRefreshInterval();
    for (let i = 0; i < 3; i++) {
      const result = await lambda.invoke(predictIris);
      expect([result.statusCode, JSON.parse(result.body).predictions[0].label]).toEqual([200, 'setosa']);
    }
    expect(await Promise.all(['iris/1/model.onnx', 'iris/1/spec.json', 'sentiment/1/model.onnx'].map(inode))).toEqual(before);
  });

  it('serves a changed object after the refresh interval, fetching only that object', async () => {
    const modelInode = await inode('iris/1/model.onnx');
    const spec = JSON.parse(await readFile(join(bundledModelDir, 'iris/1/spec.json'), 'utf8')) as Record<string, unknown>;
    await upload('iris/1/spec.json', JSON.stringify({ ...spec, description: 'Iris, retrained' }));
    await pastRefreshInterval();

    expect(await irisDescription()).toEqual({ status: 200, versions: ['1'], description: 'Iris, retrained' });
    expect(await inode('iris/1/model.onnx')).toBe(modelInode);
    const refreshed = await lambda.logged('models refreshed from S3');
    expect([refreshed['downloaded'], refreshed['removed']]).toEqual([['iris/1/spec.json'], []]);
  });

  it('keeps serving the old models and logs the failure when a corrupt version is uploaded', async () => {
    await upload('iris/2/model.onnx', 'not an ONNX model');
    await upload('iris/2/spec.json', await readFile(join(bundledModelDir, 'iris/1/spec.json')));
    await pastRefreshInterval();

    expect(await irisDescription()).toEqual({ status: 200, versions: ['1'], description: 'Iris, retrained' });
    const failed = await lambda.logged('model refresh failed: the models already loaded keep serving');
    expect(failed['level']).toBe('error');
    expect(JSON.stringify(failed['err'])).toContain('model iris:2');
    const result = await lambda.invoke(predictIris);
    expect([result.statusCode, JSON.parse(result.body).predictions[0].label]).toEqual([200, 'setosa']);
  });
});
