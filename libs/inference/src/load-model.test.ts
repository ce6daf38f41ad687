import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelSpec } from '@onnx-serve/feature-spec';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { InvalidFeedsError, ModelLoadError } from './errors';
import { type LoadedModel, loadModel } from './load-model';
import { bundledRef, removeTempStores, tempStore } from './testing/fixtures';

afterEach(removeTempStores);
const loaded: LoadedModel[] = [];
afterAll(async () => {
  await Promise.all(loaded.map((m) => m.release()));
});

const irisSpec: ModelSpec = {
  features: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'].map((name) => ({ name, type: 'number' })),
  inputs: { kind: 'matrix', input: 'X', dtype: 'float32', columns: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'] },
  outputs: {
    kind: 'classification',
    classes: ['setosa', 'versicolor', 'virginica'],
    labelOutput: 'output_label',
    scoresOutput: 'output_probability',
    scoreKind: 'probabilities',
  },
};

/** iris copied into a temp store next to the given spec.json content. */
function irisWithSpec(spec: unknown) {
  const dir = tempStore({ 'iris/1/model.onnx': 'iris', 'iris/1/spec.json': typeof spec === 'string' ? spec : JSON.stringify(spec) });
  return { name: 'iris', version: '1', modelPath: join(dir, 'iris/1/model.onnx'), specPath: join(dir, 'iris/1/spec.json') };
}

async function keep(model: Promise<LoadedModel>): Promise<LoadedModel> {
  loaded.push(await model);
  return loaded[loaded.length - 1] as LoadedModel;
}

describe('loadModel', () => {
  it('reports the signature onnxruntime sees once patched, the patches, the sha256 of the file as stored and when it loaded', async () => {
    const ref = bundledRef('iris');
    const started = new Date().toISOString();
    const model = await keep(loadModel(ref));
    // ISO 8601 strings of one format compare as the times they name.
    expect([started <= model.loadedAt, model.loadedAt <= new Date().toISOString()]).toEqual([true, true]);
    expect(model.signature).toEqual({
      inputs: [{ name: 'X', dtype: 'float32', shape: [null, 4] }],
      outputs: [
        { name: 'output_label', dtype: 'int64', shape: [null] },
        { name: 'output_probability', dtype: 'float32', shape: [null, 3], zipMapClasses: [0, 1, 2] },
      ],
    });
    expect(model.patches).toEqual(['output_probability: ZipMap served as a float32 [N,3] tensor']);
    expect(model.sha256).toBe(createHash('sha256').update(readFileSync(ref.modelPath)).digest('hex'));
    expect(model.spec).toBeNull();
  });

  it('loads a spec.json that fits the model', async () => {
    const model = await keep(loadModel(irisWithSpec(irisSpec)));
    expect(model.spec).toEqual(irisSpec);
  });

  it('refuses a spec naming an input the model lacks, naming the model and that input', async () => {
    const ref = irisWithSpec({ ...irisSpec, inputs: { ...irisSpec.inputs, input: 'features' } });
    const loading = loadModel(ref);
    await expect(loading).rejects.toThrow(ModelLoadError);
    await expect(loading).rejects.toThrow(
      `model iris:1 (${ref.modelPath}): its spec is refused: ${ref.specPath}: inputs.input: ONNX input "features" is not in the graph`,
    );
  });

  it('refuses a spec whose scores output holds another number of classes, naming that output', async () => {
    const ref = irisWithSpec({ ...irisSpec, outputs: { ...irisSpec.outputs, classes: ['a', 'b'] } });
    await expect(loadModel(ref)).rejects.toThrow(/ONNX output "output_probability" .*holds 3 scores per row, but the spec lists 2 classes/);
  });

  it('refuses a spec.json that is not JSON, naming the file', async () => {
    const ref = irisWithSpec('{ "features": [');
    await expect(loadModel(ref)).rejects.toThrow(`its spec is refused: ${ref.specPath} is not valid JSON`);
  });

  it('refuses a truncated model file with a ModelLoadError naming it', async () => {
    const dir = tempStore({ 'iris.onnx': readFileSync(bundledRef('iris').modelPath).subarray(0, 20_000) });
    const modelPath = join(dir, 'iris.onnx');
    const loading = loadModel({ name: 'iris', version: '1', modelPath });
    await expect(loading).rejects.toThrow(ModelLoadError);
    await expect(loading).rejects.toThrow(`model iris:1 (${modelPath}): not a valid ONNX model: not a readable ONNX model (truncated or corrupt)`);
  });

  it('refuses a missing model file, naming it', async () => {
    const modelPath = join(tempStore({}), 'gone.onnx');
    await expect(loadModel({ name: 'gone', version: '1', modelPath })).rejects.toThrow(
      `model gone:1 (${modelPath}): cannot read the model file: ENOENT`,
    );
  });
});

describe('LoadedModel.run rejects feeds that do not match the signature', () => {
  let loading: Promise<LoadedModel> | undefined;
  const diabetes = () => (loading ??= keep(loadModel(bundledRef('diabetes'))));
  const floats = (n: number) => new Float32Array(n);

  it.each([
    ['a missing input', {}, 'input "X" expects float32 [N,10], but no tensor was given'],
    ['an unknown input', { X: { dtype: 'float32', dims: [1, 10], data: floats(10) }, Y: { dtype: 'float32', dims: [1], data: floats(1) } }, 'unknown input "Y"'],
    ['a wrong dtype', { X: { dtype: 'float64', dims: [1, 10], data: new Float64Array(10) } }, 'input "X" expects float32 [N,10], got float64 [1,10]'],
    ['a wrong column count', { X: { dtype: 'float32', dims: [1, 9], data: floats(9) } }, 'input "X" expects float32 [N,10], got float32 [1,9]'],
    ['data shorter than its dims', { X: { dtype: 'float32', dims: [2, 10], data: floats(10) } }, 'input "X" expects float32 [N,10], got float32 [2,10] with 10 elements instead of 20'],
    ['data of another array type', { X: { dtype: 'float32', dims: [1, 10], data: new Float64Array(10) } }, 'input "X" expects float32 [N,10], but its data is not the array type of float32'],
  ] as const)('%s', async (_, feeds, message) => {
    const model = await diabetes();
    const running = model.run(feeds as never);
    await expect(running).rejects.toThrow(InvalidFeedsError);
    await expect(running).rejects.toThrow(`model diabetes:1: ${message}`);
  });

  it('after release', async () => {
    const model = await loadModel(bundledRef('diabetes'));
    await model.release();
    await expect(model.run({ X: { dtype: 'float32', dims: [1, 10], data: floats(10) } })).rejects.toThrow(
      'model diabetes:1 has been released',
    );
  });
});
