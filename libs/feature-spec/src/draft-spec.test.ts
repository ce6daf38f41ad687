import { describe, expect, it } from 'vitest';
import { exampleModel, exampleModels, loadGolden } from '../test/example-models';
import { thrown } from '../test/test-helpers';
import { checkSpecAgainstSignature } from './check-signature';
import { draftSpecFromSignature } from './draft-spec';
import { SpecError } from './errors';
import { parseModelSpec } from './parse-model-spec';
import type { ModelSignature, TensorSignature } from './tensors';

const label = { name: 'label', dtype: 'int64' as const, shape: [null] };
const closing = [
  'description: say what the model predicts, from what',
  'features: give each a description, and a unit, minimum, maximum and example where they apply',
];
const irisSignature = exampleModel('iris').signature;
const iris = loadGolden('iris-gb-zipmap');
const irisFeatures = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
/** A PyTorch export: one matrix in, logits out, no label. */
const digits: ModelSignature = {
  inputs: [{ name: 'pixels', dtype: 'float32', shape: [null, 4] }],
  outputs: [{ name: 'logits', dtype: 'float32', shape: [null, 3] }],
};

function draftIssues(run: () => unknown) {
  return thrown(SpecError, run).issues;
}

describe('draftSpecFromSignature', () => {
  it.each(exampleModels)('drafts a spec for $name that parses and fits its signature', ({ signature }) => {
    const json: unknown = JSON.parse(JSON.stringify(draftSpecFromSignature(signature).spec));
    const spec = parseModelSpec(json, 'draft.json');
    expect(() => checkSpecAgainstSignature(spec, signature, 'draft.json')).not.toThrow();
  });

  it('with nothing known: features x0…, classes class_0…, scoreKind guessed, and a todo line for each', () => {
    const { spec, todo } = draftSpecFromSignature(irisSignature);
    expect(spec).toEqual({
      description: 'Drafted from the ONNX model: describe what it predicts.',
      features: ['x0', 'x1', 'x2', 'x3'].map((name) => ({ name, type: 'number' })),
      inputs: { kind: 'matrix', input: 'X', dtype: 'float32' },
      outputs: {
        kind: 'classification',
        classes: ['class_0', 'class_1', 'class_2'],
        labelOutput: 'output_label',
        scoresOutput: 'output_probability',
        scoreKind: 'probabilities',
      },
    });
    expect(todo).toEqual([
      'features: x0…x3 stand for the 4 columns of ONNX input "X", as nothing named them (give the names, a golden file with features, or metadata_props "feature_names" in the model): rename them in column order',
      'outputs.classes: class_0…class_2 stand for the model\'s labels 0…2, as nothing named them (give the names, a golden file with labels, or metadata_props "class_names" in the model): rename them in label order',
      'outputs.scoreKind: "probabilities" is a guess, as no golden rows show what "output_probability" holds: confirm it ("probabilities" if each row sums to 1; "decision" for decision-function scores or logits)',
      ...closing,
    ]);
  });

  it('names the columns and classes from what is known, and takes probabilities from golden rows that sum to 1', () => {
    const { spec, todo } = draftSpecFromSignature(irisSignature, {
      features: { names: irisFeatures, from: 'the golden file' },
      classes: { names: ['setosa', 'versicolor', 'virginica'], from: 'the golden file' },
      goldenScores: { output_probability: iris.expected['output_probability'] as number[][] },
    });
    expect(spec.features).toEqual(irisFeatures.map((name) => ({ name, type: 'number' })));
    expect(spec.outputs).toEqual({
      kind: 'classification',
      classes: ['setosa', 'versicolor', 'virginica'],
      labelOutput: 'output_label',
      scoresOutput: 'output_probability',
      scoreKind: 'probabilities',
    });
    expect(todo).toEqual(closing);
  });

  it('refuses names that do not match the matrix width or the score width, naming both numbers', () => {
    expect(draftIssues(() => draftSpecFromSignature(irisSignature, { features: { names: ['a', 'b', 'c'], from: 'the features option' } }))).toEqual([
      { path: 'features', message: 'the features option gives 3 feature names, but ONNX input "X" (float32 [N,4]) has 4 columns' },
    ]);
    expect(draftIssues(() => draftSpecFromSignature(irisSignature, { classes: { names: ['a', 'b'], from: 'the golden file' } }))).toEqual([
      { path: 'outputs.classes', message: 'the golden file gives 2 class names, but ONNX output "output_probability" (float32 [N,3]) holds 3 scores per row' },
    ]);
    const sentiment = exampleModel('sentiment').signature;
    expect(draftIssues(() => draftSpecFromSignature(sentiment, { classes: { names: ['a', 'b', 'c'], from: 'the classes option' } }))).toEqual([
      {
        path: 'outputs.classes',
        message: 'the classes option gives 3 class names, but ONNX output "probabilities" (float32 [N,1]) holds one score per row, for the second of 2 classes',
      },
    ]);
  });

  it('refuses an empty or repeated class name', () => {
    const draft = (names: string[]) => () => draftSpecFromSignature(irisSignature, { classes: { names, from: 'the classes option' } });
    expect(draftIssues(draft(['a', 'b', 'a']))).toEqual([{ path: 'outputs.classes', message: 'the classes option gives the class name "a" twice' }]);
    expect(draftIssues(draft(['a', '', 'c']))).toEqual([{ path: 'outputs.classes', message: 'the classes option gives an empty class name' }]);
  });

  it('turns a known name into a feature name, saying so in a todo line', () => {
    const { spec, todo } = draftSpecFromSignature(irisSignature, {
      features: { names: ['od280/od315', 'hue', 'hue', '2nd'], from: 'the golden file' },
    });
    expect(spec.features.map((feature) => feature.name)).toEqual(['od280_od315', 'hue', 'hue_2', '_2nd']);
    expect(todo.slice(0, 3)).toEqual([
      'features[0]: "od280/od315" (from the golden file) is named "od280_od315": a feature name is unique and holds only letters, digits, _ . -',
      'features[2]: "hue" (from the golden file) is named "hue_2": a feature name is unique and holds only letters, digits, _ . -',
      'features[3]: "2nd" (from the golden file) is named "_2nd": a feature name is unique and holds only letters, digits, _ . -',
    ]);
  });

  it('gives a matrix of open width as many columns as there are names', () => {
    const open: ModelSignature = { ...irisSignature, inputs: [{ name: 'X', dtype: 'float32', shape: [null, null] }] };
    const { spec } = draftSpecFromSignature(open, { features: { names: ['a', 'b'], from: 'the features option' } });
    expect(spec.features).toEqual([{ name: 'a', type: 'number' }, { name: 'b', type: 'number' }]);
    expect(spec.inputs).toEqual({ kind: 'matrix', input: 'X', dtype: 'float32' });
  });

  it('drafts per-feature inputs by their own names, and a one-column score as a binary decision function', () => {
    const { spec, todo } = draftSpecFromSignature(exampleModel('sentiment').signature, {
      features: { names: ['review'], from: 'the golden file' },
      classes: { names: ['negative', 'positive'], from: 'the golden file' },
    });
    expect(spec.features).toEqual([{ name: 'review_text', type: 'string' }]);
    expect(spec.inputs).toEqual({ kind: 'per-feature', tensors: [{ feature: 'review_text', dtype: 'string' }] });
    expect(spec.outputs).toEqual({
      kind: 'classification',
      classes: ['negative', 'positive'],
      labelOutput: 'label',
      scoresOutput: 'probabilities',
      scoreKind: 'decision',
    });
    expect(todo).toEqual(['features: named by the model\'s ONNX inputs (review_text), though the golden file names review', ...closing]);
  });

  it('keeps a one-column score a decision score even where the golden rows look like probabilities, and says so', () => {
    const { spec, todo } = draftSpecFromSignature(exampleModel('sentiment').signature, {
      classes: { names: ['ham', 'spam'], from: 'the classes option' },
      goldenScores: { probabilities: [[0.2], [0.9]] },
    });
    expect(spec.outputs).toMatchObject({ scoreKind: 'decision' });
    expect(todo).toEqual([
      'outputs.scoreKind: "decision", as a spec serves one score per row, but the golden rows of "probabilities" all lie in [0, 1]: if they are the probability of the second class, set "threshold": 0.5',
      ...closing,
    ]);
  });

  it('drafts a network\'s logits as a classifier without a label output: decision scores by guess or by the golden rows', () => {
    const guessed = draftSpecFromSignature(digits, { classes: { names: ['0', '1', '2'], from: 'the golden file' } });
    expect(guessed.spec.outputs).toEqual({ kind: 'classification', classes: ['0', '1', '2'], scoresOutput: 'logits', scoreKind: 'decision' });
    expect(guessed.todo).toContain(
      'outputs.scoreKind: "decision" is a guess, as no golden rows show what "logits" holds: confirm it ("probabilities" if each row sums to 1; "decision" for decision-function scores or logits)',
    );
    const logits = draftSpecFromSignature(digits, { goldenScores: { logits: [[-6.35, 1.77, 6.48]] } });
    expect(logits.spec.outputs).toMatchObject({ scoreKind: 'decision' });
    expect(logits.todo.filter((line) => line.startsWith('outputs.scoreKind'))).toEqual([]);
    const softmax = draftSpecFromSignature(digits, { goldenScores: { logits: [[0.1, 0.2, 0.7]] } });
    expect(softmax.spec.outputs).toMatchObject({ scoreKind: 'probabilities' });
  });

  it('never drafts as probabilities scores that lie in [0, 1] but do not sum to 1', () => {
    const { spec, todo } = draftSpecFromSignature(irisSignature, { goldenScores: { output_probability: [[0.9, 0.8, 0.1]] } });
    expect(spec.outputs).toMatchObject({ scoreKind: 'decision' });
    expect(todo).toContain(
      'outputs.scoreKind: "decision", as the golden rows of "output_probability" lie in [0, 1] but do not each sum to 1: not probabilities over the classes',
    );
  });

  it('drafts a regression on the first float output when there is no label, noting class names it cannot use', () => {
    const { spec, todo } = draftSpecFromSignature(exampleModel('diabetes').signature, { classes: { names: ['a', 'b'], from: 'the golden file' } });
    expect(spec.outputs).toEqual({ kind: 'regression', output: 'variable' });
    expect(todo).toContain('outputs: drafted as a regression on "variable", so the class names from the golden file are not used');
  });

  it('types features by dtype, turns input names into unique identifiers and keeps string ZipMap keys', () => {
    const signature: ModelSignature = {
      inputs: [
        { name: 'age:0', dtype: 'int32', shape: [null, 1] },
        { name: 'age/0', dtype: 'float64', shape: [null] },
        { name: '2nd', dtype: 'bool', shape: [null, 1] },
      ],
      outputs: [
        { name: 'label', dtype: 'string', shape: [null] },
        { name: 'probs', dtype: 'unsupported', shape: [], zipMapClasses: ['cat', 'dog'] },
      ],
    };
    const { spec } = draftSpecFromSignature(signature);
    expect(spec.features).toEqual([
      { name: 'age_0', type: 'integer' },
      { name: 'age_0_2', type: 'number' },
      { name: '_2nd', type: 'boolean' },
    ]);
    expect(spec.inputs).toEqual({
      kind: 'per-feature',
      tensors: [
        { feature: 'age_0', input: 'age:0', dtype: 'int32' },
        { feature: 'age_0_2', input: 'age/0', dtype: 'float64' },
        { feature: '_2nd', input: '2nd', dtype: 'bool' },
      ],
    });
    expect(spec.outputs).toEqual({
      kind: 'classification',
      classes: ['cat', 'dog'],
      labelOutput: 'label',
      scoresOutput: 'probs',
      scoreKind: 'probabilities',
    });
    expect(() => checkSpecAgainstSignature(parseModelSpec(spec, 'draft.json'), signature)).not.toThrow();
  });

  it('refuses an input that is neither a matrix nor per-feature, pointing to raw mode', () => {
    const image: ModelSignature = { inputs: [{ name: 'pixels', dtype: 'float32', shape: [null, 3, 224, 224] }], outputs: [label] };
    expect(draftIssues(() => draftSpecFromSignature(image))).toEqual([
      {
        path: 'inputs',
        message:
          'ONNX input "pixels" is float32 [N,3,224,224]: neither one float matrix [N,k] nor one [N,1] tensor per feature; serve the model without a spec (raw mode)',
      },
    ]);
  });

  it('refuses outputs with neither a label nor a float value', () => {
    const ids: TensorSignature = { name: 'ids', dtype: 'int64', shape: [null, 5] };
    expect(() => draftSpecFromSignature({ inputs: [{ name: 'X', dtype: 'float32', shape: [null, 2] }], outputs: [ids] })).toThrow(
      'draft: outputs: no label [N] or float [N]/[N,1] output among: ids (int64 [N,5]); serve the model without a spec (raw mode)',
    );
  });

  it('declares the columns golden rows leave empty: NaN for a float, a default for a string, a todo for an integer', () => {
    const signature: ModelSignature = {
      inputs: [
        { name: 'income', dtype: 'float32', shape: [null, 1] },
        { name: 'children', dtype: 'int64', shape: [null, 1] },
        { name: 'city', dtype: 'string', shape: [null, 1] },
        { name: 'age', dtype: 'float32', shape: [null, 1] },
      ],
      outputs: [{ name: 'variable', dtype: 'float32', shape: [null, 1] }],
    };
    const { spec, todo } = draftSpecFromSignature(signature, {
      goldenMissing: { columns: new Set(['income', 'children', 'city']), stringValue: 'unknown' },
    });
    expect(spec.features).toEqual([
      { name: 'income', type: 'number', missing: 'nan' },
      { name: 'children', type: 'integer' },
      { name: 'city', type: 'string', default: 'unknown' },
      { name: 'age', type: 'number' },
    ]);
    expect(todo.slice(0, 3)).toEqual([
      'features.income: the golden rows leave it empty, so a missing value is fed as NaN ("missing": "nan"): keep that only if the graph imputes it or the model routes NaN itself (LightGBM, XGBoost)',
      'features.children: the golden rows leave it empty, but its int64 input cannot hold NaN: give it a default, or fix the rows',
      'features.city: the golden rows leave it empty, so a missing value is sent as "unknown" ("default"): check that is the marker the pipeline was trained with (skl2onnx: SimpleImputer(missing_values=""))',
    ]);
    expect(() => parseModelSpec(JSON.parse(JSON.stringify(spec)), 'draft')).not.toThrow();
  });

  it('declares a matrix column by its position', () => {
    const { spec } = draftSpecFromSignature(digits, { goldenMissing: { columns: new Set([2]) } });
    expect(spec.features.map((feature) => feature.missing ?? null)).toEqual([null, null, 'nan', null]);
  });
});
