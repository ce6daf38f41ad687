import { describe, expect, it } from 'vitest';
import { loadSpec } from '../test/example-models';
import type { ModelSpec } from './model-spec';
import { readPredictions } from './predictions';
import type { BatchTensor } from './tensors';

const iris = loadSpec('iris');
const sentiment = loadSpec('sentiment');
const tweets = loadSpec('disaster-tweets');
const f32 = Math.fround;

const labels = (...values: number[]): BatchTensor => ({ dtype: 'int64', dims: [values.length], data: BigInt64Array.from(values, BigInt) });
const floats = (dims: number[], values: number[]): BatchTensor => ({ dtype: 'float32', dims, data: new Float32Array(values) });

function withOutputs(spec: ModelSpec, outputs: Partial<Extract<ModelSpec['outputs'], { kind: 'classification' }>>): ModelSpec {
  return { ...spec, outputs: { ...spec.outputs, ...outputs } as ModelSpec['outputs'] };
}

describe('readPredictions', () => {
  it('reads a regression value from [N,1] and from [N], as the float32 the tensor holds', () => {
    const diabetes = loadSpec('diabetes');
    const expected = [{ value: f32(187.07434438698553) }, { value: f32(129.9) }];
    expect(readPredictions(diabetes, { variable: floats([2, 1], [187.07434438698553, 129.9]) }, 2)).toEqual(expected);
    expect(readPredictions(diabetes, { variable: floats([2], [187.07434438698553, 129.9]) }, 2)).toEqual(expected);
  });

  it('names classes from int64 labels and keys probabilities by class', () => {
    const outputs = { output_label: labels(2, 0), output_probability: floats([2, 3], [0.01, 0.09, 0.9, 0.98, 0.01, 0.01]) };
    const predictions = readPredictions(iris, outputs, 2);
    expect(predictions).toEqual([
      { label: 'virginica', probabilities: { setosa: f32(0.01), versicolor: f32(0.09), virginica: f32(0.9) } },
      { label: 'setosa', probabilities: { setosa: f32(0.98), versicolor: f32(0.01), virginica: f32(0.01) } },
    ]);
    expect(JSON.parse(JSON.stringify(predictions))).toEqual(predictions);
  });

  it('gives only the positive class score for a decision function of width 1', () => {
    const outputs = { label: labels(1, 0), probabilities: floats([2, 1], [0.95, -0.83]) };
    expect(readPredictions(sentiment, outputs, 2)).toEqual([
      { label: 'positive', scores: { positive: f32(0.95) } },
      { label: 'negative', scores: { positive: f32(-0.83) } },
    ]);
  });

  it('gives every class score for a decision function of one column per class', () => {
    const outputs = { label: labels(1), probabilities: floats([1, 2], [-0.4, 0.4]) };
    expect(readPredictions(withOutputs(tweets, { scoreKind: 'decision' }), outputs, 1)).toEqual([
      { label: 'disaster', scores: { not_disaster: f32(-0.4), disaster: f32(0.4) } },
    ]);
  });

  it('labels by the top score when the spec names no label output (PyTorch logits)', () => {
    const logits = withOutputs(iris, { labelOutput: undefined, scoreKind: 'decision' });
    const outputs = { output_probability: floats([2, 3], [2.5, -1, 0.3, -3, 0.1, 4]) };
    expect(readPredictions(logits, outputs, 2).map((p) => 'label' in p && p.label)).toEqual(['setosa', 'virginica']);
    const binary = withOutputs(sentiment, { labelOutput: undefined });
    expect(readPredictions(binary, { probabilities: floats([2, 1], [0.2, -0.1]) }, 2).map((p) => 'label' in p && p.label)).toEqual([
      'positive',
      'negative',
    ]);
  });

  it('labels by the positive probability against a threshold, and says whether it changed the model label', () => {
    const outputs = { label: labels(0, 0, 1), probabilities: floats([3, 2], [0.7, 0.3, 0.75, 0.25, 0.2, 0.8]) };
    expect(readPredictions(withOutputs(tweets, { threshold: 0.3 }), outputs, 3)).toEqual([
      {
        label: 'disaster',
        probabilities: { not_disaster: f32(0.7), disaster: f32(0.3) },
        threshold: { value: 0.3, modelLabel: 'not_disaster', changed: true },
      },
      {
        label: 'not_disaster',
        probabilities: { not_disaster: f32(0.75), disaster: f32(0.25) },
        threshold: { value: 0.3, modelLabel: 'not_disaster', changed: false },
      },
      {
        label: 'disaster',
        probabilities: { not_disaster: f32(0.2), disaster: f32(0.8) },
        threshold: { value: 0.3, modelLabel: 'disaster', changed: false },
      },
    ]);
  });

  it('labels by the decision score against a threshold; without a label output the model label is the score\'s sign', () => {
    const outputs = { label: labels(1, 1), probabilities: floats([2, 1], [0.2, 0.9]) };
    expect(readPredictions(withOutputs(sentiment, { threshold: 0.5 }), outputs, 2)).toEqual([
      { label: 'negative', scores: { positive: f32(0.2) }, threshold: { value: 0.5, modelLabel: 'positive', changed: true } },
      { label: 'positive', scores: { positive: f32(0.9) }, threshold: { value: 0.5, modelLabel: 'positive', changed: false } },
    ]);
    const scoresOnly = withOutputs(sentiment, { threshold: 0.5, labelOutput: undefined });
    expect(readPredictions(scoresOnly, { probabilities: floats([1, 1], [0.2]) }, 1)).toEqual([
      { label: 'negative', scores: { positive: f32(0.2) }, threshold: { value: 0.5, modelLabel: 'positive', changed: true } },
    ]);
  });

  it('fills the message of the label\'s class: its probability, a named class\'s, the label and the threshold', () => {
    const spam = withOutputs(tweets, {
      threshold: 0.999,
      messages: {
        disaster: '{probability} chance of {label}',
        not_disaster: '{probability:disaster} chance of disaster, below the {threshold} threshold',
      },
    });
    const outputs = { label: labels(1, 1), probabilities: floats([2, 2], [0.01, 0.99, 0.0004, 0.9996]) };
    const predictions = readPredictions(spam, outputs, 2);
    expect(predictions.map((p) => 'label' in p && [p.label, p.message, p.threshold?.changed])).toEqual([
      ['not_disaster', '99.0% chance of disaster, below the 99.9% threshold', true],
      ['disaster', '100.0% chance of disaster', false],
    ]);
    const onlyOne = withOutputs(tweets, { messages: { disaster: 'take care' } });
    const mixedLabels = { label: labels(1, 0), probabilities: outputs.probabilities };
    expect(readPredictions(onlyOne, mixedLabels, 2).map((p) => 'label' in p && p.message)).toEqual(['take care', undefined]);
  });

  it('reads the label alone when the spec names no scores output, and string labels by name', () => {
    const named = withOutputs(iris, { scoresOutput: undefined });
    expect(readPredictions(named, { output_label: { dtype: 'string', dims: [2], data: ['virginica', 'setosa'] } }, 2)).toEqual([
      { label: 'virginica' },
      { label: 'setosa' },
    ]);
  });

  it('throws that model and spec disagree on a label outside the classes', () => {
    const outputs = { output_label: labels(3), output_probability: floats([1, 3], [0.2, 0.3, 0.5]) };
    expect(() => readPredictions(iris, outputs, 1)).toThrow(
      'model and spec disagree: output "output_label" gave label 3, but the spec\'s classes are setosa, versicolor, virginica',
    );
    const named = withOutputs(iris, { scoresOutput: undefined });
    expect(() => readPredictions(named, { output_label: { dtype: 'string', dims: [1], data: ['rose'] } }, 1)).toThrow(
      'model and spec disagree: output "output_label" gave label rose',
    );
  });

  it('throws that model and spec disagree on a scores width other than the classes count', () => {
    const outputs = { output_label: labels(0), output_probability: floats([1, 2], [0.5, 0.5]) };
    expect(() => readPredictions(iris, outputs, 1)).toThrow(
      'model and spec disagree: output "output_probability" holds 2 scores per row, but the spec lists 3 classes',
    );
  });

  it('throws on a missing output, naming what the model returned', () => {
    expect(() => readPredictions(iris, { output_label: labels(0) }, 1)).toThrow(
      'the model returned no output "output_probability" (it returned: output_label)',
    );
  });

  it('throws on an output that does not hold one row per instance', () => {
    expect(() => readPredictions(loadSpec('diabetes'), { variable: floats([1, 1], [1]) }, 2)).toThrow(
      'output "variable" has dims [1,1] and 1 values: not one row for each of 2 instances',
    );
  });
});
