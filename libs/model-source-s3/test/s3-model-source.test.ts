// The S3 source against a real S3-compatible server on loopback, with real models in real sessions: the first
// load, warm checks that fetch nothing, a changed object fetched alone, a corrupt version that leaves the old
// models serving, a removed version, an unreadable bucket, and a model name the local store would skip.
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFeatureValidator, readPredictions, toBatchInputs } from '@onnx-serve/feature-spec';
import { LocalModelStore, type LoadedModel } from '@onnx-serve/inference';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseS3Uri, S3ModelSource, type S3ModelSourceOptions } from '../src/index';
import { s3rverEnv, startTestS3, type TestS3 } from './s3-test-server';

const modelsDir = fileURLToPath(new URL('../../../test-fixtures/models', import.meta.url));
const setosa = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };

/** The label of one prediction straight from a loaded model: proves its session is alive. */
async function predictIris(model: LoadedModel): Promise<unknown> {
  const { rows } = createFeatureValidator(model.spec!)({ instances: [setosa] });
  const outputs = await model.run(toBatchInputs(model.spec!, rows, model.signature));
  return (readPredictions(model.spec!, outputs, 1)[0] as { label: string }).label;
}

let s3: TestS3;
let cacheDir: string;
let source: S3ModelSource | undefined;
const logged: { level: string; fields: object; message: string }[] = [];

function newSource(options: Partial<S3ModelSourceOptions> = {}): S3ModelSource {
  source = new S3ModelSource({
    location: parseS3Uri(`s3://${s3.bucket}/store`),
    cacheDir,
    endpoint: s3.endpoint,
    refreshSeconds: 60,
    releaseDelayMs: 50,
    logger: {
      info: (fields, message) => logged.push({ level: 'info', fields, message }),
      error: (fields, message) => logged.push({ level: 'error', fields, message }),
    },
    ...options,
  });
  return source;
}

beforeAll(() => {
  for (const [name, value] of Object.entries(s3rverEnv)) vi.stubEnv(name, value);
});
afterAll(() => vi.unstubAllEnvs());

beforeEach(async () => {
  s3 = await startTestS3();
  cacheDir = await mkdtemp(join(tmpdir(), 'model-cache-'));
  await s3.putFolder(join(modelsDir, 'iris'), 'store/iris/');
  await s3.put('store/sentiment.onnx', await readFile(join(modelsDir, 'sentiment/1/model.onnx')));
  await s3.put('store/README.md', 'not a model');
});
afterEach(async () => {
  await source?.close();
  source = undefined;
  logged.length = 0;
  await s3.close();
  await rm(cacheDir, { recursive: true, force: true });
});

describe('S3ModelSource', () => {
  it('loads the store at start and serves it, fetching each store file once and ignoring other keys', async () => {
    const started = await newSource().start();
    expect(started.downloaded.sort()).toEqual(['iris/1/model.onnx', 'iris/1/spec.json', 'sentiment.onnx']);
    expect(started.ignored).toEqual(['store/README.md']);
    expect(started.registry.list()).toEqual([
      { name: 'iris', versions: ['1'], latest: '1' },
      { name: 'sentiment', versions: ['1'], latest: '1' },
    ]);
    expect(await predictIris(started.registry.get('iris')!)).toBe('setosa');
    expect(s3.objectGets.sort()).toEqual(['store/iris/1/model.onnx', 'store/iris/1/spec.json', 'store/sentiment.onnx']);
  });

  it('downloads a version with external data and golden.json beside model.onnx, and serves it verified', async () => {
    await s3.putFolder(join(modelsDir, 'digits'), 'store/digits/');
    const golden = await readFile(join(modelsDir, '../golden/digits-torch.golden.json'));
    await s3.put('store/digits/1/golden.json', golden);
    const started = await newSource().start();
    expect(started.downloaded.filter((file) => file.startsWith('digits/')).sort()).toEqual([
      'digits/1/digits-torch.onnx.data',
      'digits/1/golden.json',
      'digits/1/model.onnx',
      'digits/1/spec.json',
    ]);
    const digits = started.registry.get('digits')!;
    expect(digits.externalData).toEqual(['digits-torch.onnx.data']);
    expect(digits.verification).toMatchObject({ status: 'passed', rows: 30, failed: [] });
    const { rows: goldenRows, expected_argmax: argmax, labels } = JSON.parse(golden.toString()) as {
      rows: number[][];
      expected_argmax: { logits: number[] };
      labels: string[];
    };
    const columns = digits.spec!.features.map((feature) => feature.name);
    const instance = Object.fromEntries(columns.map((name, i) => [name, goldenRows[0]![i]]));
    const { rows } = createFeatureValidator(digits.spec!)({ instances: [instance] });
    const outputs = await digits.run(toBatchInputs(digits.spec!, rows, digits.signature));
    expect((readPredictions(digits.spec!, outputs, 1)[0] as { label: string }).label).toBe(labels[argmax.logits[0]!]);
  });

  it('warm checks list the bucket once each and fetch no object again', async () => {
    const src = newSource();
    await src.start();
    const gets = s3.objectGets.length;
    const listings = s3.listings();
    expect(await src.refresh()).toEqual({ status: 'unchanged' });
    expect(await src.refresh()).toEqual({ status: 'unchanged' });
    expect(s3.objectGets.length).toBe(gets);
    expect(s3.listings()).toBe(listings + 2);
  });

  it('refreshIfDue does no I/O before the interval has passed, and checks once it has', async () => {
    const src = newSource({ refreshSeconds: 60 });
    await src.start();
    const listings = s3.listings();
    expect(await src.refreshIfDue()).toEqual({ status: 'not-due' });
    expect(s3.listings()).toBe(listings);
    expect(await src.refreshIfDue(Date.now() + 61_000)).toEqual({ status: 'unchanged' });
    expect(s3.listings()).toBe(listings + 1);
  });

  it('refreshIfDue never checks again when refreshSeconds is 0', async () => {
    const src = newSource({ refreshSeconds: 0 });
    await src.start();
    const listings = s3.listings();
    expect(await src.refreshIfDue(Date.now() + 3_600_000)).toEqual({ status: 'not-due' });
    expect(s3.listings()).toBe(listings);
  });

  it('fetches only the changed object, hands back the new registry and releases the old one after the grace period', async () => {
    const src = newSource();
    const { registry: first } = await src.start();
    const spec = JSON.parse(await readFile(join(modelsDir, 'iris/1/spec.json'), 'utf8')) as { description: string };
    await s3.put('store/iris/1/spec.json', JSON.stringify({ ...spec, description: 'Iris, retrained' }));
    s3.objectGets.length = 0;

    const outcome = await src.refresh();
    if (outcome.status !== 'reloaded') throw new Error(`expected a reload, got ${outcome.status}`);
    expect([outcome.downloaded, outcome.removed]).toEqual([['iris/1/spec.json'], []]);
    expect(s3.objectGets).toEqual(['store/iris/1/spec.json']);
    expect(outcome.registry.get('iris')!.spec!.description).toBe('Iris, retrained');
    expect(logged.map((l) => [l.level, l.message])).toEqual([['info', 'models refreshed from S3']]);

    // Still usable right after the swap (a request may hold it), released once the grace period is over.
    const oldIris = first.get('iris')!;
    expect(await predictIris(oldIris)).toBe('setosa');
    await new Promise((resolve) => setTimeout(resolve, 150));
    await expect(predictIris(oldIris)).rejects.toThrow('model iris:1 has been released');
    expect(await predictIris(outcome.registry.get('iris')!)).toBe('setosa');
  });

  it('keeps the old models serving and logs the failure when a new version is corrupt, without retrying it', async () => {
    const src = newSource();
    const { registry: first } = await src.start();
    await s3.put('store/iris/2/model.onnx', Buffer.from('this is not an ONNX model'));
    await s3.put('store/iris/2/spec.json', await readFile(join(modelsDir, 'iris/1/spec.json')));

    const outcome = await src.refresh();
    expect(outcome.status).toBe('failed');
    expect(outcome.status === 'failed' && outcome.error.message).toContain('model iris:2');
    expect(logged).toEqual([
      {
        level: 'error',
        fields: { uri: `s3://${s3.bucket}/store`, err: (outcome as { error: Error }).error },
        message: 'model refresh failed: the models already loaded keep serving',
      },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await predictIris(first.get('iris')!)).toBe('setosa');

    // The same broken files are not fetched or loaded again; a fixed upload is.
    const gets = s3.objectGets.length;
    expect(await src.refresh()).toEqual({ status: 'unchanged' });
    expect(s3.objectGets.length).toBe(gets);
    await s3.put('store/iris/2/model.onnx', await readFile(join(modelsDir, 'iris/1/model.onnx')));
    const fixed = await src.refresh();
    expect(fixed).toEqual({ status: 'reloaded', registry: expect.anything(), downloaded: ['iris/2/model.onnx'], removed: [] });
    expect(fixed.status === 'reloaded' && fixed.registry.list()[0]).toEqual({ name: 'iris', versions: ['1', '2'], latest: '2' });
  });

  it('drops a version removed from the bucket, locally and from what is served', async () => {
    const src = newSource();
    await s3.putFolder(join(modelsDir, 'iris/1'), 'store/iris/2/');
    const { registry } = await src.start();
    expect(registry.list()[0]!.versions).toEqual(['1', '2']);
    await s3.remove('store/iris/2/model.onnx');
    await s3.remove('store/iris/2/spec.json');

    const outcome = await src.refresh();
    expect(outcome).toEqual({
      status: 'reloaded',
      registry: expect.anything(),
      downloaded: [],
      removed: ['iris/2/model.onnx', 'iris/2/spec.json'],
    });
    expect(outcome.status === 'reloaded' && outcome.registry.list()[0]).toEqual({ name: 'iris', versions: ['1'], latest: '1' });
    expect(existsSync(join(src.localDir, 'iris/2'))).toBe(false);
  });

  it('start rejects naming the store when the bucket does not exist', async () => {
    const src = newSource({ location: parseS3Uri('s3://no-such-bucket/store/') });
    await expect(src.start()).rejects.toThrow(/^cannot read the model store s3:\/\/no-such-bucket\/store\/: /);
  });

  it('never fetches a model whose name the local store would skip: the same rule, so both serve the same models', async () => {
    const tooLong = 'm'.repeat(100);
    const longest = 'm'.repeat(64);
    const localStore = join(cacheDir, 'local-store');
    for (const name of [tooLong, longest]) {
      await s3.putFolder(join(modelsDir, 'iris'), `store/${name}/`);
      await cp(join(modelsDir, 'iris'), join(localStore, name), { recursive: true });
    }
    const local = await new LocalModelStore(localStore).scan();
    expect(local.refs.map((ref) => ref.name)).toEqual([longest]);
    expect(local.warnings).toEqual([`${join(localStore, tooLong)}: skipped, model name "${tooLong}" is not URL-safe (letters, digits, . _ -)`]);

    const src = newSource();
    const started = await src.start();
    expect(started.ignored.sort()).toEqual(['store/README.md', `store/${tooLong}/1/model.onnx`, `store/${tooLong}/1/spec.json`]);
    expect(s3.objectGets.filter((key) => key.includes(tooLong))).toEqual([]);
    expect(existsSync(join(src.localDir, tooLong))).toBe(false);
    expect(started.registry.names()).toEqual(['iris', longest, 'sentiment']);
  });
});
