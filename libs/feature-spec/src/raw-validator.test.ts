import { describe, expect, it } from 'vitest';
import { exampleModel } from '../test/example-models';
import { thrown } from '../test/test-helpers';
import { RequestValidationError, type FieldIssue } from './errors';
import { createRawValidator } from './raw-validator';
import type { ModelSignature, TensorSignature } from './tensors';

const diabetes = createRawValidator(exampleModel('diabetes').signature);
const sentiment = createRawValidator(exampleModel('sentiment').signature);
const tweets = createRawValidator(exampleModel('disaster-tweets').signature);
const ten = [0.04, 0.05, 0.06, 0.02, -0.04, -0.03, -0.04, 0, 0.02, -0.02];

const oneInput = (input: Omit<TensorSignature, 'name'>): ModelSignature => ({ inputs: [{ name: 'x', ...input }], outputs: [] });

const issuesOf = (validate: (body: unknown) => unknown, body: unknown): FieldIssue[] =>
  thrown(RequestValidationError, () => validate(body)).issues;

describe('createRawValidator', () => {
  it('takes each instance of a one-input model as that input row, numeric strings included', () => {
    const { feeds, count } = diabetes({ instances: [ten, ten.map(String)] });
    expect(count).toBe(2);
    expect(feeds).toEqual({ X: { dtype: 'float32', dims: [2, 10], data: new Float32Array([...ten, ...ten]) } });
  });

  it('accepts a bare string where the row holds one element, and the nested form too', () => {
    expect(sentiment({ instances: ['great film', ['dull plot']] }).feeds).toEqual({
      review_text: { dtype: 'string', dims: [2, 1], data: ['great film', 'dull plot'] },
    });
  });

  it('takes objects keyed by input name for a model of several inputs', () => {
    const instance = { keyword: 'flood', location: ['Mumbai'], text: 'water rising' };
    expect(tweets({ instances: [instance] }).feeds).toEqual({
      keyword: { dtype: 'string', dims: [1, 1], data: ['flood'] },
      location: { dtype: 'string', dims: [1, 1], data: ['Mumbai'] },
      text: { dtype: 'string', dims: [1, 1], data: ['water rising'] },
    });
  });

  it('nests rows as the shape does, fixing dynamic dims from the rows', () => {
    const validate = createRawValidator(oneInput({ dtype: 'float64', shape: [null, 2, null] }));
    const body = { instances: [[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]] };
    expect(validate(body).feeds).toEqual({
      x: { dtype: 'float64', dims: [2, 2, 3], data: new Float64Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) },
    });
  });

  it('converts int64 (exactly, from integer strings beyond 2^53) and bool', () => {
    const ints = createRawValidator(oneInput({ dtype: 'int64', shape: [null, 2] }));
    expect(ints({ instances: [[1, '9007199254740993']] }).feeds).toEqual({
      x: { dtype: 'int64', dims: [1, 2], data: new BigInt64Array([1n, 9007199254740993n]) },
    });
    const flags = createRawValidator(oneInput({ dtype: 'bool', shape: [null] }));
    expect(flags({ instances: [true, 'false'] }).feeds).toEqual({ x: { dtype: 'bool', dims: [2], data: new Uint8Array([1, 0]) } });
  });

  it('rejects rows of the wrong length or element type, naming the instance and the expected shape', () => {
    const body = { instances: [ten.slice(1), [...ten.slice(0, 3), 'abc', ...ten.slice(4)], 'not a row', ten] };
    expect(issuesOf(diabetes, body)).toEqual([
      { path: 'instances[0]', message: 'must be float32 of shape [10]; the row has 9 elements, expected 10' },
      { path: 'instances[1]', message: 'must be float32 of shape [10]; element [3] must be a number within float32 range, got "abc"' },
      { path: 'instances[2]', message: 'must be float32 of shape [10]; the row must be an array, got "not a row"' },
    ]);
  });

  it('rejects rows whose dynamic dims differ from the first row', () => {
    const validate = createRawValidator(oneInput({ dtype: 'float32', shape: [null, null] }));
    expect(issuesOf(validate, { instances: [[1, 2, 3], [1, 2], []] })).toEqual([
      {
        path: 'instances[1]',
        message: 'must be float32 of shape [?]; the row has 2 elements, expected 3 (a dynamic dim, but the same in every row)',
      },
      { path: 'instances[2]', message: 'must be float32 of shape [?]; the row has 0 elements, expected 3 (a dynamic dim, but the same in every row)' },
    ]);
  });

  it('rejects missing, unknown and non-object inputs of a several-input model', () => {
    const body = { instances: [{ keyword: 'fire', txt: 'smoke' }, ['fire', 'Oslo', 'smoke']] };
    expect(issuesOf(tweets, body)).toEqual([
      { path: 'instances[0].txt', message: 'unknown input; expected one of: keyword, location, text' },
      { path: 'instances[0].location', message: 'is required (string of shape [1] or a bare value)' },
      { path: 'instances[0].text', message: 'is required (string of shape [1] or a bare value)' },
      { path: 'instances[1]', message: 'must be an object keyed by input name (keyword, location, text), got an array of 3' },
    ]);
  });

  it('rejects a float32 beyond its range rather than feeding Infinity', () => {
    const floats = createRawValidator(oneInput({ dtype: 'float32', shape: [null, 2] }));
    expect(issuesOf(floats, { instances: [[3.4e38, '-1e39']] })).toEqual([
      { path: 'instances[0]', message: 'must be float32 of shape [2]; element [1] must be a number within float32 range, got "-1e39"' },
    ]);
  });

  it('rejects integers out of range and strings over maxStringLength', () => {
    const bytes = createRawValidator(oneInput({ dtype: 'int8', shape: [null, 2] }));
    expect(issuesOf(bytes, { instances: [[1, 200]] })).toEqual([
      { path: 'instances[0]', message: 'must be int8 of shape [2]; element [1] must be an integer from -128 to 127, got 200' },
    ]);
    const short = createRawValidator(exampleModel('sentiment').signature, { maxStringLength: 4 });
    expect(issuesOf(short, { instances: ['too long'] })).toEqual([
      { path: 'instances[0]', message: 'must be string of shape [1] or a bare value; the value must be a string, got "too long"' },
    ]);
  });

  it('rejects more instances than a fixed batch axis takes', () => {
    const fixed = createRawValidator(oneInput({ dtype: 'float32', shape: [1, 2] }));
    expect(issuesOf(fixed, { instances: [[1, 2], [3, 4]] })).toEqual([
      { path: 'instances', message: 'must hold exactly 1 instance (ONNX input "x" is float32 [1,2]), got 2' },
    ]);
  });

  it('rejects a bare instance: raw mode takes only {"instances": [...]}', () => {
    expect(issuesOf(sentiment, { review_text: 'great' })).toEqual([
      { path: '(body)', message: 'must be {"instances": [...]}, got an object' },
    ]);
  });

  it('refuses to build a validator for inputs it cannot feed', () => {
    expect(() => createRawValidator(oneInput({ dtype: 'float16', shape: [null, 2] }))).toThrow(
      'raw mode cannot feed ONNX input "x" (float16 [N,2]): no batch axis or unsupported type',
    );
  });
});
