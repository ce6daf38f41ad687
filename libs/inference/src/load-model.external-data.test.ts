// Models whose weights are ONNX external data: loaded from the store with the data file beside model.onnx, under
// the name the graph gives it, and refused with a message saying what to copy where when it is not there.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelLoadError } from './errors';
import { type LoadedModel, loadModel } from './load-model';
import { fixtureBytes, removeTempStores, tempStore } from './testing/fixtures';

const loaded: LoadedModel[] = [];
afterEach(async () => {
  await Promise.all(loaded.splice(0).map((m) => m.release()));
  removeTempStores();
});

const digitsModel = fixtureBytes('models/digits/1/model.onnx');
const digitsData = fixtureBytes('models/digits/1/digits-torch.onnx.data');
const golden = JSON.parse(new TextDecoder().decode(fixtureBytes('golden/digits-torch.golden.json'))) as {
  rows: number[][];
  expected: { logits: number[][] };
};

/** The model with the data file's location rewritten in place (same length, so every protobuf length holds). */
function withLocation(location: string): Uint8Array {
  const bytes = Buffer.from(digitsModel);
  const original = Buffer.from('digits-torch.onnx.data');
  expect(location).toHaveLength(original.length);
  let at = bytes.indexOf(original);
  while (at >= 0) {
    Buffer.from(location).copy(bytes, at);
    at = bytes.indexOf(original, at + 1);
  }
  return bytes;
}

describe('a model with external data', () => {
  it('loads from its version folder with the data file beside it, and runs as torch did', async () => {
    const dir = tempStore({ 'digits/1/model.onnx': digitsModel, 'digits/1/digits-torch.onnx.data': digitsData });
    const model = await loadModel({ name: 'digits', version: '1', modelPath: join(dir, 'digits/1/model.onnx') });
    loaded.push(model);
    expect(model.externalData).toEqual(['digits-torch.onnx.data']);
    expect(model.patches).toEqual([]);
    expect(model.signature).toEqual({
      inputs: [{ name: 'pixels', dtype: 'float32', shape: [null, 64] }],
      outputs: [{ name: 'logits', dtype: 'float32', shape: [null, 10] }],
    });
    const outputs = await model.run({ pixels: { dtype: 'float32', dims: [2, 64], data: Float32Array.from(golden.rows.slice(0, 2).flat()) } });
    const logits = Array.from(outputs['logits']!.data as Float32Array);
    golden.expected.logits.slice(0, 2).flat().forEach((expected, i) => expect(Math.abs(logits[i]! - expected)).toBeLessThan(1e-5));
  });

  it('is refused, naming the missing file and where it belongs, when only model.onnx was copied', async () => {
    const dir = tempStore({ 'digits/1/model.onnx': digitsModel });
    const modelPath = join(dir, 'digits/1/model.onnx');
    const loading = loadModel({ name: 'digits', version: '1', modelPath });
    await expect(loading).rejects.toThrow(ModelLoadError);
    await expect(loading).rejects.toThrow(
      `model digits:1 (${modelPath}): its external data cannot be read: the graph keeps tensors in "digits-torch.onnx.data", which is not in ${join(dir, 'digits/1')}: copy the data file the exporter wrote beside model.onnx, under that name`,
    );
  });

  it('is refused when the graph points outside its folder, even where that file exists', async () => {
    const dir = tempStore({ 'digits/1/model.onnx': withLocation('../digits-torch.onnx.d'), 'digits/digits-torch.onnx.d': digitsData });
    const modelPath = join(dir, 'digits/1/model.onnx');
    await expect(loadModel({ name: 'digits', version: '1', modelPath })).rejects.toThrow(
      `model digits:1 (${modelPath}): its external data cannot be read: the graph refers to external data at "../digits-torch.onnx.d"; only a file beside the model file is read`,
    );
  });
});
