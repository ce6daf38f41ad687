import { describe, expect, it } from 'vitest';
import { loadSpec } from '../test/example-models';
import { perFeatureInputs, thrown } from '../test/test-helpers';
import { RequestValidationError, type FieldIssue } from './errors';
import { createFeatureValidator } from './feature-validator';
import { parseModelSpec } from './parse-model-spec';

const iris = createFeatureValidator(loadSpec('iris'));
const tweets = createFeatureValidator(loadSpec('disaster-tweets'));
const irisRange = 'must be a number ≥ 0 and ≤ 10';
const setosa = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };

// One spec with every feature type, for the conversions that the example models do not exercise.
const mixed = createFeatureValidator(
  parseModelSpec(
    {
      features: [
        { name: 'age', type: 'integer', minimum: 0, maximum: 120 },
        { name: 'smoker', type: 'boolean', default: false },
        { name: 'plan', type: 'string', enum: ['basic', 'premium'] },
      ],
      inputs: perFeatureInputs({ age: 'int64', smoker: 'bool', plan: 'string' }),
      outputs: { kind: 'regression', output: 'y' },
    },
    'mixed.json',
  ),
);

// A loans-style pipeline: numbers an imputer fills (missing "nan"), a category whose missing marker is "".
const loans = createFeatureValidator(
  parseModelSpec(
    {
      features: [
        { name: 'income', type: 'number', minimum: 0, missing: 'nan' },
        { name: 'owners', type: 'integer', minimum: 0, missing: 'nan' },
        { name: 'home', type: 'string', default: '' },
        { name: 'term', type: 'string' },
      ],
      inputs: perFeatureInputs({ income: 'float32', owners: 'float64', home: 'string', term: 'string' }),
      outputs: { kind: 'regression', output: 'y' },
    },
    'loans.json',
  ),
);

const issuesOf = (validate: (body: unknown) => unknown, body: unknown): FieldIssue[] =>
  thrown(RequestValidationError, () => validate(body)).issues;

describe('createFeatureValidator', () => {
  it('accepts instances of numbers and of numeric strings alike', () => {
    const quoted = { sepal_length: '5.1', sepal_width: '3.5', petal_length: '1.4', petal_width: '2e-1' };
    expect(iris({ instances: [setosa, quoted] })).toEqual({ rows: [setosa, setosa], defaulted: [[], []], missing: [[], []] });
  });

  it('accepts one bare instance object', () => {
    expect(iris(setosa)).toEqual({ rows: [setosa], defaulted: [[]], missing: [[]] });
  });

  it('fills declared defaults for missing or null features and lists them per row', () => {
    const body = { instances: [{ text: 'flood in town' }, { keyword: null, location: 'Oslo', text: 'calm day' }] };
    expect(tweets(body)).toEqual({
      rows: [
        { keyword: '', location: '', text: 'flood in town' },
        { keyword: '', location: 'Oslo', text: 'calm day' },
      ],
      defaulted: [['keyword', 'location'], ['keyword']],
      missing: [[], []],
    });
  });

  it('converts integer, boolean and enum values', () => {
    expect(mixed({ age: '42', smoker: 'true', plan: 'basic' })).toEqual({ rows: [{ age: 42, smoker: true, plan: 'basic' }], defaulted: [[]], missing: [[]] });
    expect(mixed({ age: 7, plan: 'premium' })).toEqual({ rows: [{ age: 7, smoker: false, plan: 'premium' }], defaulted: [['smoker']], missing: [[]] });
  });

  it('feeds NaN for a null or absent number that declares missing "nan", and lists it per row', () => {
    const body = {
      instances: [
        { income: null, owners: 2, home: null, term: '36 months' },
        { term: '60 months' },
        { income: '41519', owners: null, home: 'rent', term: '36 months' }, // a numeric string: the zod path
        { income: 41519, owners: 0, home: 'own', term: '36 months' },
      ],
    };
    expect(loans(body)).toEqual({
      rows: [
        { income: NaN, owners: 2, home: '', term: '36 months' },
        { income: NaN, owners: NaN, home: '', term: '60 months' },
        { income: 41519, owners: NaN, home: 'rent', term: '36 months' },
        { income: 41519, owners: 0, home: 'own', term: '36 months' },
      ],
      defaulted: [['home'], ['home'], [], []],
      missing: [['income'], ['income', 'owners'], ['owners'], []],
    });
  });

  it('refuses "NaN", "" and a null without a default or missing "nan", naming each field', () => {
    expect(issuesOf(loans, { instances: [{ income: 'NaN', owners: '', term: null }] })).toEqual([
      { path: 'instances[0].income', message: 'must be a number ≥ 0, or null when missing, got "NaN"' },
      { path: 'instances[0].owners', message: 'must be an integer ≥ 0, or null when missing, got ""' },
      { path: 'instances[0].term', message: 'is required, got null' },
    ]);
  });

  it('rejects wrong, out-of-range, null, missing and unknown fields, all at once', () => {
    const body = {
      instances: [
        { sepal_length: 12, sepal_width: 'wide', petal_length: true, petal_width: null, colour: 'blue' },
        { sepal_length: '', sepal_width: '12abc', petal_length: 'NaN', petal_width: '1e999' },
        {},
      ],
    };
    expect(issuesOf(iris, body)).toEqual([
      { path: 'instances[0].sepal_length', message: `${irisRange}, got 12` },
      { path: 'instances[0].sepal_width', message: `${irisRange}, got "wide"` },
      { path: 'instances[0].petal_length', message: `${irisRange}, got true` },
      { path: 'instances[0].petal_width', message: 'is required, got null' },
      { path: 'instances[0].colour', message: 'unknown feature; expected one of: sepal_length, sepal_width, petal_length, petal_width' },
      { path: 'instances[1].sepal_length', message: `${irisRange}, got ""` },
      { path: 'instances[1].sepal_width', message: `${irisRange}, got "12abc"` },
      { path: 'instances[1].petal_length', message: `${irisRange}, got "NaN"` },
      { path: 'instances[1].petal_width', message: `${irisRange}, got "1e999"` },
      { path: 'instances[2].sepal_length', message: 'is required' },
      { path: 'instances[2].sepal_width', message: 'is required' },
      { path: 'instances[2].petal_length', message: 'is required' },
      { path: 'instances[2].petal_width', message: 'is required' },
    ]);
  });

  it('rejects a bad bare instance with paths that are the field names', () => {
    expect(issuesOf(iris, { ...setosa, petal_length: -1, extra: 1 })).toEqual([
      { path: 'petal_length', message: `${irisRange}, got -1` },
      { path: 'extra', message: 'unknown feature; expected one of: sepal_length, sepal_width, petal_length, petal_width' },
    ]);
  });

  it('rejects non-integral integers, non-boolean booleans and values outside the enum', () => {
    expect(issuesOf(mixed, { age: 3.5, smoker: 1, plan: 'gold' })).toEqual([
      { path: 'age', message: 'must be an integer ≥ 0 and ≤ 120, got 3.5' },
      { path: 'smoker', message: 'must be true or false, got 1' },
      { path: 'plan', message: 'must be one of: "basic", "premium", got "gold"' },
    ]);
  });

  it('rejects a required text feature that is missing, and strings over the global cap', () => {
    const capped = createFeatureValidator(loadSpec('disaster-tweets'), { maxStringLength: 5 });
    expect(issuesOf(capped, { instances: [{ keyword: 'flood' }, { keyword: 'wildfire', text: 'fire' }] })).toEqual([
      { path: 'instances[0].text', message: 'is required' },
      { path: 'instances[1].keyword', message: 'must be a string of at most 5 characters, got "wildfire"' },
    ]);
  });

  it('rejects a string over the feature maxLength without echoing it whole', () => {
    expect(issuesOf(tweets, { text: 'x'.repeat(1001) })).toEqual([
      { path: 'text', message: 'must be a string of at most 1000 characters, got a string of 1001 characters' },
    ]);
  });

  it('rejects bodies of the wrong shape', () => {
    expect(issuesOf(iris, [setosa])).toEqual([
      { path: '(body)', message: 'must be {"instances": [...]} or one instance object, got an array of 1' },
    ]);
    expect(issuesOf(iris, null)).toEqual([
      { path: '(body)', message: 'must be {"instances": [...]} or one instance object, got null' },
    ]);
    expect(issuesOf(iris, { instances: setosa, model: 'iris' })).toEqual([
      { path: 'model', message: 'unknown field; expected only "instances"' },
      { path: 'instances', message: 'must be an array of instances, got an object' },
    ]);
    expect(issuesOf(iris, { instances: [] })).toEqual([{ path: 'instances', message: 'must hold at least one instance, got []' }]);
  });

  it('rejects instances that are not objects', () => {
    expect(issuesOf(iris, { instances: [[5.1, 3.5, 1.4, 0.2], 'setosa'] })).toEqual([
      { path: 'instances[0]', message: 'must be an object of features, got an array of 4' },
      { path: 'instances[1]', message: 'must be an object of features, got "setosa"' },
    ]);
  });

  it('rejects more instances than maxInstances before reading any', () => {
    const small = createFeatureValidator(loadSpec('iris'), { maxInstances: 2 });
    expect(issuesOf(small, { instances: [setosa, setosa, {}] })).toEqual([
      { path: 'instances', message: 'must hold at most 2 instances, got 3' },
    ]);
  });
});
