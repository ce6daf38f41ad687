import { describe, expect, it } from 'vitest';
import { exampleModel } from '../test/example-models';
import { readRawPredictions } from './raw-predictions';
import type { ModelSignature } from './tensors';

const f32 = Math.fround;

describe('readRawPredictions', () => {
  it('gives a scalar where the row holds one element', () => {
    const outputs = { variable: { dtype: 'float32' as const, dims: [2, 1], data: new Float32Array([187.07, 129.93]) } };
    expect(readRawPredictions(exampleModel('diabetes').signature, outputs, 2)).toEqual([
      { variable: f32(187.07) },
      { variable: f32(129.93) },
    ]);
  });

  it('reads a ZipMap output as {class: probability} and int64 labels as numbers', () => {
    const outputs = {
      output_label: { dtype: 'int64' as const, dims: [1], data: new BigInt64Array([2n]) },
      output_probability: { dtype: 'float32' as const, dims: [1, 3], data: new Float32Array([0.1, 0.2, 0.7]) },
    };
    expect(readRawPredictions(exampleModel('iris').signature, outputs, 1)).toEqual([
      { output_label: 2, output_probability: { '0': f32(0.1), '1': f32(0.2), '2': f32(0.7) } },
    ]);
  });

  it('nests a row as its shape, keeps int64 beyond 2^53 exact as a string, reads bool and string outputs', () => {
    const signature: ModelSignature = {
      inputs: [],
      outputs: [
        { name: 'grid', dtype: 'float64', shape: [null, 2, 2] },
        { name: 'ids', dtype: 'int64', shape: [null, 2] },
        { name: 'flag', dtype: 'bool', shape: [null] },
        { name: 'tag', dtype: 'string', shape: [null, 1] },
        { name: 'sequence', dtype: 'unsupported', shape: [] },
      ],
    };
    const outputs = {
      grid: { dtype: 'float64' as const, dims: [2, 2, 2], data: new Float64Array([1, 2, 3, 4, 5, 6, 7, 8]) },
      ids: { dtype: 'int64' as const, dims: [2, 2], data: new BigInt64Array([1n, 9007199254740993n, -3n, 4n]) },
      flag: { dtype: 'bool' as const, dims: [2], data: new Uint8Array([1, 0]) },
      tag: { dtype: 'string' as const, dims: [2, 1], data: ['a', 'b'] },
    };
    expect(readRawPredictions(signature, outputs, 2)).toEqual([
      { grid: [[1, 2], [3, 4]], ids: [1, '9007199254740993'], flag: true, tag: 'a' },
      { grid: [[5, 6], [7, 8]], ids: [-3, 4], flag: false, tag: 'b' },
    ]);
  });
});

describe('readRawPredictions of float16 outputs', () => {
  it('answers the number the bits hold, as V2 does', () => {
    const signature: ModelSignature = { inputs: [], outputs: [{ name: 'half', dtype: 'float16', shape: [null, 2] }] };
    // 0x3c00 is 1, 0x3555 the half nearest 1/3, 0x7bff the largest half (65504).
    const outputs = { half: { dtype: 'float16' as const, dims: [2, 2], data: new Uint16Array([0x3c00, 0x3555, 0x7bff, 0x8000]) } };
    expect(readRawPredictions(signature, outputs, 2)).toEqual([{ half: [1, 0.333251953125] }, { half: [65504, -0] }]);
  });
});
