// v1 answers back into outputs: the label before a threshold, a one-column decision function, names where the
// golden file writes names, a missing score; raw answers by output name, ZipMaps in their column order.
import { describe, expect, it } from 'vitest';
import { parseModelSpec } from '../parse-model-spec';
import type { ModelSignature } from '../tensors';
import { answeredOutputs, judgeGoldenAnswers, refusedRows } from './golden-answers';
import { defaultGoldenTolerance } from './golden-compare';
import { parseGoldenFile } from './golden-file';

const features = [{ name: 'x', type: 'number' }];
const inputs = { kind: 'matrix', input: 'X', dtype: 'float32' };
const noSignature: ModelSignature = { inputs: [], outputs: [] };
const golden = (expected: Record<string, unknown>) => parseGoldenFile({ features: ['x'], rows: [[1], [2]], expected }, 'g.json');

describe('answeredOutputs', () => {
  it("reads a threshold's model label, and the scores per class in class order", () => {
    const spec = parseModelSpec({
      features,
      inputs,
      outputs: { kind: 'classification', classes: ['no', 'yes'], labelOutput: 'label', scoresOutput: 'p', threshold: 0.3 },
    }, 'spec.json');
    const predictions = [
      { label: 'yes', probabilities: { yes: 0.4, no: 0.6 }, threshold: { value: 0.3, modelLabel: 'no', changed: true } },
      { label: 'yes', probabilities: { no: 0.1, yes: 0.9 }, threshold: { value: 0.3, modelLabel: 'yes', changed: false } },
    ];
    const outputs = answeredOutputs(spec, noSignature, predictions, golden({ label: [0, 1] }));
    expect(outputs).toEqual({
      label: { dtype: 'int64', dims: [2], data: BigInt64Array.from([0n, 1n]) },
      p: { dtype: 'float64', dims: [2, 2], data: Float64Array.from([0.6, 0.4, 0.1, 0.9]) },
    });
    const report = judgeGoldenAnswers(golden({ label: [0, 1], p: [[0.6, 0.4], [0.1, 0.9]] }), spec, defaultGoldenTolerance, { outputs, predictions });
    expect(report.checks.map((check) => [check.name, check.passed])).toEqual([['label', true], ['p', true], ['label (served)', true]]);
  });

  it('keeps a binary decision function to its one column, names labels as the golden file does, and NaN for a missing score', () => {
    const spec = parseModelSpec({
      features,
      inputs,
      outputs: { kind: 'classification', classes: ['neg', 'pos'], labelOutput: 'label', scoresOutput: 'd', scoreKind: 'decision' },
    }, 'spec.json');
    const outputs = answeredOutputs(spec, noSignature, [{ label: 'pos', scores: { pos: 1.5 } }, { label: 'neg', scores: { pos: -2 } }], golden({ label: ['pos', 'neg'] }));
    expect(outputs).toEqual({
      label: { dtype: 'string', dims: [2], data: ['pos', 'neg'] },
      d: { dtype: 'float64', dims: [2, 1], data: Float64Array.from([1.5, -2]) },
    });
    const wine = parseModelSpec({ features, inputs, outputs: { kind: 'classification', classes: ['a', 'b', 'c'], scoresOutput: 's' } }, 'spec.json');
    const partial = answeredOutputs(wine, noSignature, [{ label: 'a', probabilities: { a: 1, b: 0 } }], golden({ other: [0, 0] }));
    expect(Array.from(partial['s']!.data as Float64Array)).toEqual([1, 0, NaN]);
  });

  it('reads a regression value, and raw answers by output name with a ZipMap in its column order', () => {
    const spec = parseModelSpec({ features, inputs, outputs: { kind: 'regression', output: 'y' } }, 'spec.json');
    expect(answeredOutputs(spec, noSignature, [{ value: 1.25 }, { value: -3 }], golden({ other: [0, 0] }))).toEqual({ y: { dtype: 'float64', dims: [2], data: Float64Array.from([1.25, -3]) } });
    const signature: ModelSignature = {
      inputs: [],
      outputs: [
        { name: 'label', dtype: 'int64', shape: [null] },
        { name: 'probability', dtype: 'unsupported', shape: [], zipMapClasses: [0, 1] },
        { name: 'scores', dtype: 'float32', shape: [null, 2, 1] },
      ],
    };
    const raw = [
      { label: '9007199254740993', probability: { '1': 0.75, '0': 0.25 }, scores: [[1], [2]] },
      { label: 0, probability: { '0': 1, '1': 0 }, scores: [[3], [4]] },
    ];
    expect(answeredOutputs(null, signature, raw, golden({ other: [0, 0] }))).toEqual({
      label: { dtype: 'int64', dims: [2], data: BigInt64Array.from([9007199254740993n, 0n]) },
      probability: { dtype: 'float64', dims: [2, 2], data: Float64Array.from([0.25, 0.75, 1, 0]) },
      scores: { dtype: 'float32', dims: [2, 2, 1], data: Float32Array.from([1, 2, 3, 4]) },
    });
  });
});

describe('refusedRows', () => {
  it('names the golden row of a refused instance in a later batch', () => {
    expect(refusedRows([{ path: 'instances[2].x', message: 'must be a number' }], 100)).toEqual(['rows[102].x: must be a number']);
  });
});
