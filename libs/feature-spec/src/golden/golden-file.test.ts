import { describe, expect, it } from 'vitest';
import { GoldenFileError } from '../errors';
import { thrown } from '../../test/test-helpers';
import { parseGoldenFile } from './golden-file';

const valid = {
  task: 'classification',
  features: ['a', 'b'],
  labels: ['no', 'yes'],
  rows: [
    [1, 2],
    [3, null],
  ],
  expected: { label: [0, 1], probabilities: [[0.9, 0.1], [0.2, 0.8]] },
};

const issues = (json: unknown) => thrown(GoldenFileError, () => parseGoldenFile(json, 'm/1/golden.json')).issues;

describe('parseGoldenFile', () => {
  it('reads the format of the shared model kit: features, labels, rows, expected, expected_argmax, missing', () => {
    expect(parseGoldenFile({ ...valid, expected_argmax: { probabilities: [0, 1] }, missing: { float32: 'NaN' }, note: 'x' }, 'g.json')).toEqual({
      source: 'g.json',
      features: ['a', 'b'],
      labels: ['no', 'yes'],
      rows: valid.rows,
      expected: valid.expected,
      expectedArgmax: { probabilities: [0, 1] },
      missing: { float32: 'NaN' },
    });
  });

  it('reads rows keyed by column, and names the ONNX inputs from input or inputs', () => {
    const keyed = parseGoldenFile({ inputs: [{ name: 'a' }, { name: 'b' }], rows: [{ a: 'x', b: null }], expected: { label: [1] } }, 'g.json');
    expect(keyed).toEqual({ source: 'g.json', inputs: ['a', 'b'], rows: [{ a: 'x', b: null }], expected: { label: [1] }, expectedArgmax: {} });
    expect(parseGoldenFile({ input: { name: 'X', shape: [null, 2] }, rows: [[1, 2]], expected: { variable: [3.5] } }, 'g.json').input).toBe('X');
  });

  it('names the row whose width does not fit the features, and a keyed row without a column', () => {
    expect(issues({ ...valid, rows: [[1, 2], [1, 2, 3]], expected: { label: [0, 1] } })).toEqual([{ path: 'rows[1]', message: '3 values, features has 2' }]);
    expect(issues({ ...valid, rows: [{ a: 1 }, { a: 1, b: 2, c: 3 }], expected: { label: [0, 1] } })).toEqual([
      { path: 'rows[0]', message: 'has no b (write null for a missing value)' },
      { path: 'rows[1].c', message: 'not one of the features: a, b' },
    ]);
  });

  it('names an expected output with another number of rows than rows, and values that are not numbers or labels', () => {
    expect(issues({ ...valid, expected: { label: [0], probabilities: [[0.9, 0.1], []] } })).toEqual([
      { path: 'expected.label', message: '1 entries, rows has 2' },
      { path: 'expected.probabilities[1]', message: 'must be a number, string, boolean or a non-empty array of them, got []' },
    ]);
  });

  it('refuses an argmax index outside labels, an unknown field, and rows or expected missing', () => {
    expect(issues({ ...valid, expected_argmax: { probabilities: [0, 2] } })).toEqual([
      { path: 'expected_argmax.probabilities[1]', message: 'must be an integer (0…1, an index into labels), got 2' },
    ]);
    expect(issues({ features: ['a'], rowz: [[1]] })).toEqual([
      { path: 'rowz', message: 'unknown field; expected features, inputs, input, labels, rows, expected, expected_argmax, missing, task, dataset, estimator, note, output_note, description' },
      { path: 'rows', message: 'must be a non-empty array of rows, got nothing' },
      { path: 'expected', message: 'must be an object keyed by ONNX output name, got nothing' },
    ]);
  });

  it('puts the file and each field in the message, one problem a line', () => {
    const error = thrown(GoldenFileError, () => parseGoldenFile({ ...valid, rows: [[1], [2, 3, 4]] }, 'm/1/golden.json'));
    expect(error.message).toBe('m/1/golden.json: rows[0]: 1 values, features has 2\nm/1/golden.json: rows[1]: 3 values, features has 2');
  });
});
