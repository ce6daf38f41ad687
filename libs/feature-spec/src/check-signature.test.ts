import { describe, expect, it } from 'vitest';
import { exampleModel, loadSpec } from '../test/example-models';
import { thrown } from '../test/test-helpers';
import { checkSpecAgainstSignature } from './check-signature';
import { SpecError, type FieldIssue } from './errors';
import type { ModelSpec } from './model-spec';
import type { ModelSignature, TensorSignature } from './tensors';

const iris = loadSpec('iris');
const tweets = loadSpec('disaster-tweets');
const sentiment = loadSpec('sentiment');
const diabetes = loadSpec('diabetes');
const irisLabel: TensorSignature = { name: 'output_label', dtype: 'int64', shape: [null] };
const irisX: TensorSignature = { name: 'X', dtype: 'float32', shape: [null, 4] };

const issuesOf = (spec: ModelSpec, signature: ModelSignature): FieldIssue[] =>
  thrown(SpecError, () => checkSpecAgainstSignature(spec, signature)).issues;

/** The iris signature with its probability output replaced. */
function irisWithScores(scores: Partial<TensorSignature>): ModelSignature {
  return { inputs: [irisX], outputs: [irisLabel, { name: 'output_probability', dtype: 'float32', shape: [null, 3], ...scores }] };
}

describe('checkSpecAgainstSignature', () => {
  it('names the source in the message', () => {
    const signature = { inputs: [irisX], outputs: [irisLabel] };
    expect(() => checkSpecAgainstSignature(iris, signature, 'models/iris/1/spec.json')).toThrow(
      'models/iris/1/spec.json: outputs.scoresOutput: ONNX output "output_probability" is not in the graph; its outputs are: output_label (int64 [N])',
    );
  });

  it('rejects a mapped input missing from the graph, listing the graph inputs, and a graph input left unfed', () => {
    const signature = { ...exampleModel('iris').signature, inputs: [{ ...irisX, name: 'float_input' }] };
    expect(issuesOf(iris, signature)).toEqual([
      { path: 'inputs.input', message: 'ONNX input "X" is not in the graph; its inputs are: float_input (float32 [N,4])' },
      { path: 'inputs', message: 'ONNX input "float_input" (float32 [N,4]) is not fed by the spec' },
    ]);
  });

  it('names the feature of a tensor whose ONNX input is named after it, and is missing', () => {
    const signature = { ...exampleModel('sentiment').signature, inputs: [{ name: 'text', dtype: 'string' as const, shape: [null, 1] }] };
    expect(issuesOf(sentiment, signature)).toEqual([
      { path: 'inputs.tensors[0].feature', message: 'ONNX input "review_text" is not in the graph; its inputs are: text (string [N,1])' },
      { path: 'inputs', message: 'ONNX input "text" (string [N,1]) is not fed by the spec' },
    ]);
  });

  it('rejects a dtype mismatch and a matrix of another column count', () => {
    const signature = { ...exampleModel('iris').signature, inputs: [{ name: 'X', dtype: 'float64' as const, shape: [null, 5] }] };
    expect(issuesOf(iris, signature)).toEqual([
      { path: 'inputs.dtype', message: 'is float32, but ONNX input "X" is float64 [N,5]' },
      { path: 'inputs.input', message: 'ONNX input "X" is float64 [N,5]: it takes 5 columns, the spec maps 4' },
    ]);
  });

  it('rejects a matrix mapping onto an input that is not a matrix', () => {
    const signature = { ...exampleModel('iris').signature, inputs: [{ ...irisX, shape: [null, 2, 2] }] };
    expect(issuesOf(iris, signature)).toEqual([
      { path: 'inputs.input', message: 'ONNX input "X" is float32 [N,2,2]: not a matrix [N,4]' },
    ]);
  });

  it('accepts a matrix input with a dynamic column count and per-feature inputs of shape [N]', () => {
    const signature = { ...exampleModel('iris').signature, inputs: [{ ...irisX, shape: [null, null] }] };
    expect(() => checkSpecAgainstSignature(iris, signature)).not.toThrow();
    const flat = exampleModel('disaster-tweets').signature.inputs.map((input) => ({ ...input, shape: [null] }));
    expect(() => checkSpecAgainstSignature(tweets, { ...exampleModel('disaster-tweets').signature, inputs: flat })).not.toThrow();
  });

  it('rejects a per-feature tensor that is not [N,1] or [N]', () => {
    const { signature } = exampleModel('disaster-tweets');
    const inputs = signature.inputs.map((input) => (input.name === 'text' ? { ...input, shape: [null, 3] } : input));
    expect(issuesOf(tweets, { ...signature, inputs })).toEqual([
      { path: 'inputs.tensors[2].feature', message: 'ONNX input "text" is string [N,3]: a per-feature input must be [N,1] or [N]' },
    ]);
  });

  it('rejects a classes count that differs from the fixed scores width or the ZipMap classes', () => {
    expect(issuesOf(iris, irisWithScores({ shape: [null, 2] }))).toEqual([
      { path: 'outputs.classes', message: 'ONNX output "output_probability" is float32 [N,2]: it holds 2 scores per row, but the spec lists 3 classes' },
    ]);
    expect(issuesOf(iris, irisWithScores({ shape: [null, null], zipMapClasses: ['a', 'b', 'c', 'd'] }))).toEqual([
      { path: 'outputs.classes', message: 'ONNX output "output_probability" is float32 [N,?]: it holds 4 scores per row, but the spec lists 3 classes' },
    ]);
    expect(() => checkSpecAgainstSignature(iris, irisWithScores({ shape: [null, null] }))).not.toThrow();
  });

  it('rejects one score per row unless the spec is a binary decision function', () => {
    const { signature } = exampleModel('disaster-tweets');
    const outputs = signature.outputs.map((output) => (output.name === 'probabilities' ? { ...output, shape: [null, 1] } : output));
    expect(issuesOf(tweets, { ...signature, outputs })).toEqual([
      {
        path: 'outputs.scoreKind',
        message: 'ONNX output "probabilities" is float32 [N,1]: one score per row fits only a binary decision function (scoreKind "decision", 2 classes)',
      },
    ]);
    expect(() => checkSpecAgainstSignature(sentiment, exampleModel('sentiment').signature)).not.toThrow();
  });

  it('rejects a float label output and a regression output of several values', () => {
    const { signature } = exampleModel('sentiment');
    const outputs = signature.outputs.map((output) => (output.name === 'label' ? { ...output, dtype: 'float32' as const } : output));
    expect(issuesOf(sentiment, { ...signature, outputs })).toEqual([
      { path: 'outputs.labelOutput', message: 'ONNX output "label" is float32 [N]: a label output must hold one integer (or class name) per row' },
    ]);
    const wide = { ...exampleModel('diabetes').signature, outputs: [{ name: 'variable', dtype: 'float32' as const, shape: [null, 3] }] };
    expect(issuesOf(diabetes, wide)).toEqual([
      { path: 'outputs.output', message: 'ONNX output "variable" is float32 [N,3]: a regression output must be float32 or float64, [N] or [N,1]' },
    ]);
  });
});
