import { afterAll, describe, expect, it } from 'vitest';
import { type LoadedModel, loadModel } from './load-model';
import { type BundledModel, bundled, bundledRef, closeTo, goldenFeeds, readGolden, tensor } from './testing/fixtures';

const loaded: LoadedModel[] = [];
afterAll(async () => {
  await Promise.all(loaded.map((m) => m.release()));
});

describe.each(Object.keys(bundled) as BundledModel[])('golden rows of %s', (name) => {
  it('match the scikit-learn outputs: labels exactly, floats within 1e-4 relative', async () => {
    const golden = readGolden(name);
    const model = await loadModel(bundledRef(name));
    loaded.push(model);
    const outputs = await model.run(goldenFeeds(golden));
    for (const [outputName, expected] of Object.entries(golden.expected)) {
      const output = tensor(outputs, outputName);
      const flat = expected.flat();
      const columns = Array.isArray(expected[0]) ? expected[0].length : 1;
      // scikit-learn returns a regression as [N]; the ONNX export as [N,1]: the same values.
      expect(output.dims[0]).toBe(expected.length);
      expect(output.dims.slice(1).reduce((n, d) => n * d, 1)).toBe(columns);
      const actual = Array.from(output.data as ArrayLike<number | bigint>, Number);
      if (output.dtype === 'int64') {
        expect(output.data).toBeInstanceOf(BigInt64Array);
        expect(actual).toEqual(flat);
      } else {
        const off = flat.map((e, i) => ({ i, expected: e, actual: actual[i] ?? NaN })).filter((d) => !closeTo(d.actual, d.expected));
        expect(off).toEqual([]);
      }
    }
  });
});
