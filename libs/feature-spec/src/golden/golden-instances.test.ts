import { describe, expect, it } from 'vitest';
import { GoldenFileError } from '../errors';
import type { ModelSpec } from '../model-spec';
import { thrown } from '../../test/test-helpers';
import { parseGoldenFile } from './golden-file';
import { goldenFeatureInstances, goldenRawInstances } from './golden-instances';

const number = (name: string) => ({ name, type: 'number' as const });
const matrixSpec: ModelSpec = {
  features: [number('alcohol'), number('od280_od315')],
  inputs: { kind: 'matrix', input: 'float_input', dtype: 'float32', columns: ['alcohol', 'od280_od315'] },
  outputs: { kind: 'regression', output: 'variable' },
};
const golden = (json: Record<string, unknown>) => parseGoldenFile({ expected: { variable: [1] }, ...json }, 'g.json');

describe('goldenFeatureInstances', () => {
  it('names positional rows by the golden features when the spec has them all', () => {
    expect(goldenFeatureInstances(golden({ features: ['alcohol', 'od280_od315'], rows: [[13.2, null]] }), matrixSpec)).toEqual([
      { alcohol: 13.2, od280_od315: null },
    ]);
  });

  it("falls back on the spec's matrix columns for a feature the spec had to rename (a slash in a column name)", () => {
    const file = golden({ features: ['alcohol', 'od280/od315'], input: { name: 'float_input' }, rows: [[13.2, 3.1]] });
    expect(goldenFeatureInstances(file, matrixSpec)).toEqual([{ alcohol: 13.2, od280_od315: 3.1 }]);
  });

  it("maps golden ONNX inputs to the spec's per-feature tensors, and keeps keyed rows as they are", () => {
    const spec: ModelSpec = {
      features: [{ name: 'review', type: 'string' }],
      inputs: { kind: 'per-feature', tensors: [{ feature: 'review', input: 'review_text', dtype: 'string' }] },
      outputs: { kind: 'regression', output: 'variable' },
    };
    expect(goldenFeatureInstances(golden({ input: { name: 'review_text' }, rows: [['great']] }), spec)).toEqual([{ review: 'great' }]);
    expect(goldenFeatureInstances(golden({ rows: [{ review: 'fine' }] }), spec)).toEqual([{ review: 'fine' }]);
  });

  it('says why positional rows cannot be matched to the spec', () => {
    const error = thrown(GoldenFileError, () => goldenFeatureInstances(golden({ features: ['x', 'y', 'z'], rows: [[1, 2, 3]] }), matrixSpec));
    expect(error.message).toBe(
      `g.json: features: names "x", "y", "z", which the spec does not have, and the rows do not match the spec's ONNX inputs by position either`,
    );
  });
});

describe('goldenRawInstances', () => {
  it("gives a single-input model each row as it is, and several inputs an object keyed by input name", () => {
    const single = { inputs: [{ name: 'X', dtype: 'float32' as const, shape: [null, 2] }], outputs: [] };
    expect(goldenRawInstances(golden({ rows: [[1, 2]] }), single)).toEqual([[1, 2]]);
    const several = { inputs: ['a', 'b'].map((name) => ({ name, dtype: 'string' as const, shape: [null, 1] })), outputs: [] };
    expect(goldenRawInstances(golden({ inputs: [{ name: 'a' }, { name: 'b' }], rows: [['x', 'y']] }), several)).toEqual([{ a: 'x', b: 'y' }]);
  });
});
