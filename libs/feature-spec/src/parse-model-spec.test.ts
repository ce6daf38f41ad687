import { describe, expect, it } from 'vitest';
import { perFeatureInputs, thrown } from '../test/test-helpers';
import { SpecError, type FieldIssue } from './errors';
import { parseModelSpec } from './parse-model-spec';

const source = 'models/flowers/1/spec.json';

/** A valid spec to break one field at a time. */
function flowers(): Record<string, unknown> {
  return {
    features: [
      { name: 'length', type: 'number', minimum: 0, maximum: 10, default: 5 },
      { name: 'count', type: 'integer', minimum: 0 },
      { name: 'colour', type: 'string', enum: ['red', 'blue'], example: 'red' },
    ],
    inputs: perFeatureInputs({ length: 'float32', count: 'int64', colour: 'string' }),
    outputs: { kind: 'classification', classes: ['no', 'yes'], labelOutput: 'label', scoresOutput: 'probabilities' },
  };
}

/** flowers() with values set at dotted paths (`features.0.default`; array indices as keys). */
function broken(...changes: [path: string, value: unknown][]): Record<string, unknown> {
  const json = flowers();
  for (const [path, value] of changes) {
    const keys = path.split('.');
    const last = keys.pop() ?? '';
    let node = json;
    for (const key of keys) node = node[key] as Record<string, unknown>;
    node[last] = value;
  }
  return json;
}

const specError = (json: unknown): SpecError => thrown(SpecError, () => parseModelSpec(json, source));

const issuesOf = (json: unknown): FieldIssue[] => specError(json).issues;

describe('parseModelSpec', () => {
  it('accepts a valid spec and fills scoreKind', () => {
    const spec = parseModelSpec(flowers(), source);
    expect(spec.outputs).toEqual({ ...(flowers()['outputs'] as object), scoreKind: 'probabilities' });
    expect(spec.features).toEqual(flowers()['features']);
  });

  it('rejects a default of the wrong type, naming the source and the field path', () => {
    const error = specError(broken(['features.0.default', 'five']));
    expect(error.message).toBe(`${source}: features[0].default: must be a number ≥ 0 and ≤ 10, got "five"`);
    expect(error).toBeInstanceOf(Error);
    expect(error.source).toBe(source);
  });

  it('rejects what zod rejects: an unknown feature type, an unknown field', () => {
    expect(issuesOf(broken(['features.1.type', 'float'], ['features.2.units', 'none']))).toEqual([
      { path: 'features[1].type', message: 'Invalid option: expected one of "number"|"integer"|"string"|"boolean"' },
      { path: 'features[2]', message: 'Unrecognized key: "units"' },
    ]);
  });

  it('takes opt-in batching, and says what a batching setting must be', () => {
    expect(parseModelSpec({ ...flowers(), batching: { maxRows: 64, maxWaitMicros: 500 } }, source).batching).toEqual({
      maxRows: 64,
      maxWaitMicros: 500,
    });
    expect(issuesOf({ ...flowers(), batching: { maxRows: 1, maxWaitMicros: 0.5 } })).toEqual([
      { path: 'batching.maxRows', message: 'must be a whole number of rows from 2 to 10000' },
      { path: 'batching.maxWaitMicros', message: 'must be a whole number of microseconds from 0 to 100000' },
    ]);
    expect(issuesOf({ ...flowers(), batching: { maxRows: '64', maxWaitMicros: 500, waitMs: 1 } })).toEqual([
      { path: 'batching.maxRows', message: 'must be a whole number of rows from 2 to 10000' },
      { path: 'batching', message: 'Unrecognized key: "waitMs"' },
    ]);
  });

  it('rejects a body that is not a spec at all', () => {
    expect(issuesOf([])).toEqual([{ path: '(root)', message: 'Invalid input: expected object, received array' }]);
  });

  it('rejects default, example and enum values outside the feature type, range or enum', () => {
    const json = broken(
      ['features.0.example', 11],
      ['features.1.default', 2.5],
      ['features.2.enum', ['red', 3]],
      ['features.2.example', 'green'],
    );
    expect(issuesOf(json)).toEqual([
      { path: 'features[0].example', message: 'must be a number ≥ 0 and ≤ 10, got 11' },
      { path: 'features[1].default', message: 'must be an integer ≥ 0, got 2.5' },
      { path: 'features[2].enum[1]', message: 'must be a string, got 3' },
      { path: 'features[2].example', message: 'must be one of: "red", 3, got "green"' },
    ]);
  });

  it('rejects bounds on strings, maxLength on numbers and minimum above maximum', () => {
    const json = broken(['features.0.minimum', 20], ['features.1.maxLength', 3], ['features.2.maximum', 1]);
    expect(issuesOf(json)).toEqual([
      { path: 'features[0].minimum', message: 'must be ≤ maximum, got 20 > 10' },
      { path: 'features[1].maxLength', message: 'only string features have a maxLength, not integer ones' },
      { path: 'features[2].maximum', message: 'only number and integer features have bounds, not string ones' },
    ]);
  });

  it('rejects duplicate feature names and features mapped twice, never or under unknown names', () => {
    const json = broken(
      ['features.3', { name: 'count', type: 'integer' }],
      ['features.4', { name: 'spare', type: 'number' }],
      ['inputs.tensors.3', { feature: 'petals', input: 'petals', dtype: 'float32' }],
      ['inputs.tensors.4', { feature: 'length', input: 'length2', dtype: 'float32' }],
    );
    expect(issuesOf(json)).toEqual([
      { path: 'features[3].name', message: 'duplicate feature name "count"' },
      { path: 'inputs.tensors[3].feature', message: 'unknown feature "petals"; the features are: length, count, colour, count, spare' },
      { path: 'inputs.tensors[4].feature', message: 'feature "length" is mapped more than once' },
      { path: 'features[4]', message: 'feature "spare" is not mapped to any input' },
    ]);
  });

  it('rejects a matrix column that is not a feature, and one ONNX input fed twice', () => {
    const matrix = broken(
      ['inputs', { kind: 'matrix', input: 'X', dtype: 'float32', columns: ['length', 'count', 'colour', 'size'] }],
      ['features.2', { name: 'colour', type: 'number' }],
    );
    expect(issuesOf(matrix)).toEqual([
      { path: 'inputs.columns[3]', message: 'unknown feature "size"; the features are: length, count, colour' },
    ]);
    expect(issuesOf(broken(['inputs.tensors.1.input', 'length']))).toEqual([{ path: 'inputs.tensors[1].input', message: 'ONNX input "length" is fed more than once' }]);
  });

  it('takes a matrix without columns as the features in their order, checking each against the dtype once', () => {
    const matrix = { kind: 'matrix', input: 'X', dtype: 'float32' };
    const numbers = broken(['inputs', matrix], ['features.2', { name: 'colour', type: 'number' }]);
    expect(parseModelSpec(numbers, source).inputs).toEqual(matrix);
    expect(issuesOf(broken(['inputs', matrix], ['features.3', { name: 'count', type: 'integer' }]))).toEqual([
      { path: 'features[3].name', message: 'duplicate feature name "count"' },
      { path: 'inputs.dtype', message: 'float32 cannot carry string feature "colour"' },
    ]);
  });

  it('takes a tensor without input as feeding the ONNX input named as its feature', () => {
    const tensors = [
      { feature: 'length', dtype: 'float32' },
      { feature: 'count', input: 'length', dtype: 'int64' },
      { feature: 'colour', dtype: 'string' },
    ];
    expect(issuesOf(broken(['inputs.tensors', tensors]))).toEqual([
      { path: 'inputs.tensors[1].input', message: 'ONNX input "length" is fed more than once' },
    ]);
    const [length, , colour] = tensors;
    expect(issuesOf(broken(['inputs.tensors', [{ feature: 'count', dtype: 'int64' }, length, { ...colour, feature: 'count' }]]))).toEqual([
      { path: 'inputs.tensors[2].feature', message: 'feature "count" is mapped more than once' },
      { path: 'features[2]', message: 'feature "colour" is not mapped to any input' },
      { path: 'inputs.tensors[2].feature', message: 'ONNX input "count" is fed more than once' },
    ]);
  });

  it('rejects tensors that cannot carry their features: numbers into int32, text into float32', () => {
    const json = broken(['inputs.tensors.0.dtype', 'int32'], ['inputs.tensors.2.dtype', 'float32']);
    expect(issuesOf(json)).toEqual([
      { path: 'inputs.tensors[0].dtype', message: 'int32 cannot carry number feature "length"' },
      { path: 'inputs.tensors[2].dtype', message: 'float32 cannot carry string feature "colour"' },
    ]);
  });

  it('rejects a threshold on a 3-class model, without scores, or outside 0..1 for probabilities', () => {
    const outputs = { kind: 'classification', classes: ['a', 'b', 'a'], labelOutput: 'label', threshold: 1.5 };
    expect(issuesOf(broken(['outputs', outputs]))).toEqual([
      { path: 'outputs.classes[2]', message: 'duplicate class "a"' },
      { path: 'outputs.threshold', message: 'only binary models take a threshold; this one has 3 classes' },
      { path: 'outputs.threshold', message: "needs scoresOutput: the threshold is compared with the positive class's score" },
      { path: 'outputs.threshold', message: 'must be a probability from 0 to 1, got 1.5' },
    ]);
  });

  it('rejects a classifier with neither a label output nor a scores output', () => {
    const outputs = { kind: 'classification', classes: ['no', 'yes'] };
    expect(issuesOf(broken(['outputs', outputs]))).toEqual([
      { path: 'outputs', message: 'a classifier needs labelOutput, scoresOutput or both' },
    ]);
  });

  it('accepts missing "nan" on a number or integer feature fed as float32 or float64', () => {
    const length = { name: 'length', type: 'number', minimum: 0, missing: 'nan' };
    const json = broken(['features.0', length], ['features.1.missing', 'nan'], ['inputs.tensors.1.dtype', 'float64']);
    const spec = parseModelSpec(json, source);
    expect(spec.features.map((feature) => feature.missing)).toEqual(['nan', 'nan', undefined]);
  });

  it('refuses missing "nan" on a string, with a default, or fed into a tensor that cannot hold NaN, naming the feature', () => {
    const json = broken(['features.0.missing', 'nan'], ['features.1.missing', 'nan'], ['features.2.missing', 'nan']);
    expect(issuesOf(json)).toEqual([
      { path: 'features[0].missing', message: 'a feature takes a default or missing "nan", not both: either fills a missing value' },
      { path: 'features[2].missing', message: 'only number and integer features take missing "nan"; a string feature\'s missing value is its default' },
      { path: 'features[1].missing', message: 'feature "count" is fed as int64, which cannot hold NaN: missing "nan" needs a float32 or float64 input' },
    ]);
    expect(issuesOf(broken(['features.1.missing', 'zero']))).toEqual([
      { path: 'features[1].missing', message: 'Invalid input: expected "nan"' },
    ]);
  });

  it('accepts per-class messages whose placeholders the outputs can fill', () => {
    const messages = { yes: '{probability} chance of yes', no: '{label}: only {probability:yes} chance of yes' };
    expect(parseModelSpec(broken(['outputs.messages', messages]), source).outputs).toMatchObject({ messages });
  });

  it('refuses messages for unknown classes, unknown placeholders, stray braces and values the outputs lack', () => {
    const json = broken(
      ['outputs.messages', { maybe: 'hm', yes: '{probability:maybe} {score}', no: '{threshold} {label' }],
    );
    expect(issuesOf(json)).toEqual([
      { path: 'outputs.messages.maybe', message: 'unknown class "maybe"; the classes are: no, yes' },
      { path: 'outputs.messages.yes', message: '{probability:maybe}: unknown class "maybe"; the classes are: no, yes' },
      { path: 'outputs.messages.yes', message: '{score} is not a placeholder; use {label}, {probability}, {probability:<class>} or {threshold}' },
      {
        path: 'outputs.messages.no',
        message: 'has an unmatched brace; braces only enclose placeholders: {label}, {probability}, {probability:<class>} or {threshold}',
      },
      { path: 'outputs.messages.no', message: '{threshold}: the spec sets no threshold' },
    ]);
    const decision = broken(['outputs.scoreKind', 'decision'], ['outputs.messages', { yes: '{probability} sure' }]);
    expect(issuesOf(decision)).toEqual([
      { path: 'outputs.messages.yes', message: '{probability} needs a scoresOutput of scoreKind "probabilities"' },
    ]);
  });

  it('takes a regression\'s unit and training range, and refuses a range whose minimum exceeds its maximum', () => {
    const regression = (trainingRange: unknown) => ({ ...flowers(), outputs: { kind: 'regression', output: 'y', unit: 'points', trainingRange } });
    expect(parseModelSpec(regression({ minimum: 25, maximum: 346 }), source).outputs).toEqual({
      kind: 'regression', output: 'y', unit: 'points', trainingRange: { minimum: 25, maximum: 346 },
    });
    expect(issuesOf(regression({ minimum: 346, maximum: 25 }))).toEqual([
      { path: 'outputs.trainingRange', message: 'minimum must not exceed maximum' },
    ]);
  });

  it('accepts a decision threshold outside 0..1', () => {
    const json = broken(['outputs.scoreKind', 'decision'], ['outputs.threshold', -0.5]);
    expect(parseModelSpec(json, source).outputs).toEqual(json['outputs']);
  });
});
