import { describe, expect, it } from 'vitest';
import { loadSpec } from '../test/example-models';
import { perFeatureInputs } from '../test/test-helpers';
import { toBatchInputs } from './batch-inputs';
import { parseModelSpec } from './parse-model-spec';

describe('toBatchInputs', () => {
  it('builds one [N, columns] float32 matrix in the declared column order', () => {
    const rows = [
      { petal_width: 0.2, petal_length: 1.4, sepal_width: 3.5, sepal_length: 5.1 },
      { sepal_length: 6.3, sepal_width: 3.3, petal_length: 6, petal_width: 2.5 },
    ];
    expect(toBatchInputs(loadSpec('iris'), rows)).toEqual({
      X: { dtype: 'float32', dims: [2, 4], data: new Float32Array([5.1, 3.5, 1.4, 0.2, 6.3, 3.3, 6, 2.5]) },
    });
  });

  it('follows a matrix\'s columns where the spec lists them in an order of their own', () => {
    const iris = loadSpec('iris');
    const spec = { ...iris, inputs: { kind: 'matrix' as const, input: 'X', dtype: 'float32' as const, columns: ['petal_width', 'petal_length', 'sepal_width', 'sepal_length'] } };
    const rows = [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }];
    expect(toBatchInputs(spec, rows)).toEqual({ X: { dtype: 'float32', dims: [1, 4], data: new Float32Array([0.2, 1.4, 3.5, 5.1]) } });
  });

  it('puts a missing number (NaN in the row) into the matrix as NaN, at its column', () => {
    const rows = [{ sepal_length: 5.1, sepal_width: NaN, petal_length: 1.4, petal_width: 0.2 }];
    const { data } = toBatchInputs(loadSpec('iris'), rows)['X']!;
    expect(Array.from(data as Float32Array, (value) => (Number.isNaN(value) ? 'NaN' : value))).toEqual([
      Math.fround(5.1),
      'NaN',
      Math.fround(1.4),
      Math.fround(0.2),
    ]);
  });

  it('builds one [N,1] string tensor per feature', () => {
    const rows = [
      { keyword: 'flood', location: '', text: 'water everywhere' },
      { keyword: '', location: 'Oslo', text: 'sunny' },
    ];
    expect(toBatchInputs(loadSpec('disaster-tweets'), rows)).toEqual({
      keyword: { dtype: 'string', dims: [2, 1], data: ['flood', ''] },
      location: { dtype: 'string', dims: [2, 1], data: ['', 'Oslo'] },
      text: { dtype: 'string', dims: [2, 1], data: ['water everywhere', 'sunny'] },
    });
  });

  it('converts to each dtype: booleans as 1/0, int64 as BigInt64Array, bool as Uint8Array', () => {
    const spec = parseModelSpec(
      {
        features: [
          { name: 'rooms', type: 'integer' },
          { name: 'garden', type: 'boolean' },
          { name: 'area', type: 'number' },
        ],
        inputs: perFeatureInputs({ rooms: 'int64', garden: 'bool', area: 'float64' }),
        outputs: { kind: 'regression', output: 'price' },
      },
      'houses.json',
    );
    const rows = [
      { rooms: 3, garden: true, area: 0.1 },
      { rooms: 5, garden: false, area: 120.5 },
    ];
    expect(toBatchInputs(spec, rows)).toEqual({
      rooms: { dtype: 'int64', dims: [2, 1], data: new BigInt64Array([3n, 5n]) },
      garden: { dtype: 'bool', dims: [2, 1], data: new Uint8Array([1, 0]) },
      area: { dtype: 'float64', dims: [2, 1], data: new Float64Array([0.1, 120.5]) },
    });
    const matrix = parseModelSpec(
      { ...spec, inputs: { kind: 'matrix', input: 'X', dtype: 'int32', columns: ['rooms', 'garden'] }, features: spec.features.slice(0, 2) },
      'houses.json',
    );
    expect(toBatchInputs(matrix, rows)).toEqual({ X: { dtype: 'int32', dims: [2, 2], data: new Int32Array([3, 1, 5, 0]) } });
  });

  it('shapes a per-feature tensor [N] where the signature declares a rank-1 input', () => {
    const rows = [{ keyword: 'flood', location: 'Oslo', text: 'water' }];
    const stringInput = (name: string, shape: (number | null)[]) => ({ name, dtype: 'string' as const, shape });
    const signature = {
      inputs: [stringInput('keyword', [null]), stringInput('location', [null, 1]), stringInput('text', [null])],
      outputs: [],
    };
    const feeds = toBatchInputs(loadSpec('disaster-tweets'), rows, signature);
    expect(Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, t.dims]))).toEqual({
      keyword: [1],
      location: [1, 1],
      text: [1],
    });
  });
});
