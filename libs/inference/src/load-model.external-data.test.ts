// A model whose weights torch.onnx.export wrote to `<file>.onnx.data` beside the graph: the session is built from
// the (patched) bytes, so the loader must hand onnxruntime those files itself.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelLoadError } from './errors';
import { loadModel } from './load-model';
import { closeTo, removeTempStores, tempStore, workspaceRoot } from './testing/fixtures';

afterEach(removeTempStores);

const fixtures = `${workspaceRoot}libs/inference/test/fixtures`;
const graph = readFileSync(`${fixtures}/digits-torch.onnx`);
const weights = readFileSync(`${fixtures}/digits-torch.onnx.data`);
const golden = JSON.parse(readFileSync(`${fixtures}/digits-torch.golden.json`, 'utf8')) as {
  rows: number[][];
  expected: { logits: number[][] };
};

/** The graph saved as model.onnx in a store version folder, with the given files beside it. */
function digitsVersion(files: Record<string, Uint8Array>) {
  const dir = tempStore({ 'digits/1/model.onnx': graph, ...Object.fromEntries(Object.entries(files).map(([name, bytes]) => [`digits/1/${name}`, bytes])) });
  return { name: 'digits', version: '1', modelPath: join(dir, 'digits/1/model.onnx') };
}

describe('loadModel with external data', () => {
  it('reads the weights from beside the model and answers the golden rows as torch did', async () => {
    const model = await loadModel(digitsVersion({ 'digits-torch.onnx.data': weights }));
    try {
      const outputs = await model.run({ pixels: { dtype: 'float32', dims: [golden.rows.length, 64], data: Float32Array.from(golden.rows.flat()) } });
      const logits = Array.from(outputs['logits']?.data as Float32Array);
      const expected = golden.expected.logits.flat();
      expect(logits).toHaveLength(expected.length);
      expect(logits.filter((value, i) => !closeTo(value, expected[i] ?? Number.NaN, 1e-4))).toEqual([]);
    } finally {
      await model.release();
    }
  });

  it('refuses a model whose data file is missing, naming the file', async () => {
    const ref = digitsVersion({});
    const loading = loadModel(ref);
    await expect(loading).rejects.toThrow(ModelLoadError);
    await expect(loading).rejects.toThrow(
      `model digits:1 (${ref.modelPath}): cannot read its external data: ENOENT: no such file or directory, open '${join(ref.modelPath, '../digits-torch.onnx.data')}'`,
    );
  });

  it('refuses an external data location outside the model folder', async () => {
    // The same length, so every protobuf length prefix still holds.
    const escaping = Buffer.from(graph.toString('latin1').replaceAll('digits-torch.onnx.data', '../digits-torch.onnx.d'), 'latin1');
    const dir = tempStore({ 'digits/1/model.onnx': escaping, 'digits/digits-torch.onnx.d': weights });
    const modelPath = join(dir, 'digits/1/model.onnx');
    await expect(loadModel({ name: 'digits', version: '1', modelPath })).rejects.toThrow(
      `model digits:1 (${modelPath}): cannot read its external data: external data location "../digits-torch.onnx.d" is not a file beside the model`,
    );
  });
});
