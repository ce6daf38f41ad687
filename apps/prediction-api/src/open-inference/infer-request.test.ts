import { tensorToBytes, type ModelSignature } from '@onnx-serve/feature-spec';
import { describe, expect, it } from 'vitest';
import { readInferRequest } from './infer-request';

// Iris's ONNX signature: four float features per row, a label and a probability per class.
const signature: ModelSignature = {
  inputs: [{ name: 'X', dtype: 'float32', shape: [null, 4] }],
  outputs: [
    { name: 'label', dtype: 'int64', shape: [null] },
    { name: 'probabilities', dtype: 'float32', shape: [null, 3] },
  ],
};
const limits = { maxInstances: 10, maxStringLength: 100 };
const rows = new Float32Array([5.1, 3.5, 1.4, 0.2, 6.3, 3.3, 6, 2.5]);

describe('readInferRequest', () => {
  it('reads raw little-endian bytes as the same tensor as JSON data', () => {
    const raw = readInferRequest({ inputs: [{ name: 'X', datatype: 'FP32', shape: [2, 4], raw: tensorToBytes({ dtype: 'float32', data: rows }) }] }, signature, limits);
    const json = readInferRequest({ inputs: [{ name: 'X', datatype: 'FP32', shape: [2, 4], data: Array.from(rows) }] }, signature, limits);
    expect(raw.feeds['X']).toEqual({ dtype: 'float32', dims: [2, 4], data: rows });
    expect(raw).toEqual(json);
    expect(raw.batchSize).toBe(2);
  });

  it('names the input whose raw bytes do not fit its shape, and every other problem at once', () => {
    const read = () =>
      readInferRequest(
        { inputs: [{ name: 'X', datatype: 'FP32', shape: [2, 4], raw: new Uint8Array(28) }], outputs: [{ name: 'score' }] },
        signature,
        limits,
      );
    expect(read).toThrow(
      'input "X": raw FP32 data holds 28 bytes, but 8 elements of 4 bytes need 32 (shape [2,4]); unknown output "score"; the model\'s outputs are: label, probabilities',
    );
  });

  it('refuses an input that gives both forms, or neither', () => {
    const both = { name: 'X', datatype: 'FP32', shape: [1, 4], data: [1, 2, 3, 4], raw: new Uint8Array(16) };
    expect(() => readInferRequest({ inputs: [both] }, signature, limits)).toThrow('input "X": gives its elements both as data and as raw bytes; send one');
    expect(() => readInferRequest({ inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 4] }] }, signature, limits)).toThrow('input "X": has no data');
  });

  it('holds raw inputs to the row limit too', () => {
    const raw = new Uint8Array(11 * 16);
    expect(() => readInferRequest({ inputs: [{ name: 'X', datatype: 'FP32', shape: [11, 4], raw }] }, signature, limits)).toThrow(
      'input "X": holds 11 rows (axis 0), more than the limit of 10',
    );
  });
});
