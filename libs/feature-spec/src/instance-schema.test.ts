import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { loadSpec } from '../test/example-models';
import { perFeatureInputs } from '../test/test-helpers';
import { exampleInstance, instanceSchema } from './instance-schema';
import type { ModelSpec } from './model-spec';
import { parseModelSpec } from './parse-model-spec';

/** The JSON Schema of one instance, as the OpenAPI document shows it: what a caller sends ('input'). */
const instanceJsonSchema = (spec: ModelSpec) => z.toJSONSchema(instanceSchema(spec), { io: 'input', target: 'draft-2020-12' });

const matrixOf = (columns: string[]) => ({ kind: 'matrix', input: 'X', dtype: 'float32', columns });

describe('instanceSchema as JSON Schema', () => {
  it('describes a numeric instance: types, bounds, units, examples, all required', () => {
    const schema = instanceJsonSchema(loadSpec('iris'));
    expect(schema.required).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties?.['petal_length']).toEqual({
      type: 'number',
      minimum: 0,
      maximum: 10,
      description: 'Petal length; 1.0–6.9 in the training data (unit: cm)',
      examples: [1.4],
    });
    expect(schema.examples).toEqual([{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }]);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('leaves features with a default out of required and shows the default and maxLength', () => {
    const schema = instanceJsonSchema(loadSpec('disaster-tweets'));
    expect(schema.required).toEqual(['text']);
    expect(schema.properties?.['location']).toEqual({
      type: 'string',
      maxLength: 200,
      default: '',
      description: 'Where the post was sent from, as the author wrote it; often missing, so it defaults to empty',
      examples: ['Mumbai'],
    });
  });

  it('shows a missing "nan" feature as optional and nullable, saying it reaches the model as NaN', () => {
    const spec = parseModelSpec(
      {
        features: [
          { name: 'mileage', type: 'number', minimum: 0, unit: 'km', missing: 'nan' },
          { name: 'year', type: 'integer', minimum: 1990 },
        ],
        inputs: matrixOf(['mileage', 'year']),
        outputs: { kind: 'regression', output: 'price' },
      },
      'cars.json',
    );
    const schema = instanceJsonSchema(spec);
    expect(schema.required).toEqual(['year']);
    expect(schema.properties?.['mileage']).toEqual({
      anyOf: [{ type: 'number', minimum: 0 }, { type: 'null' }],
      description: 'unit: km; missing (null or left out): fed to the model as NaN',
    });
  });

  it('shows integers, booleans and enums as JSON Schema types', () => {
    const spec = parseModelSpec(
      {
        features: [
          { name: 'rooms', type: 'integer', minimum: 1, unit: 'rooms' },
          { name: 'garden', type: 'boolean', default: true },
          { name: 'zone', type: 'number', enum: [1, 2, 3] },
        ],
        inputs: matrixOf(['rooms', 'garden', 'zone']),
        outputs: { kind: 'regression', output: 'price' },
      },
      'houses.json',
    );
    expect(instanceJsonSchema(spec).properties).toEqual({
      rooms: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'unit: rooms' },
      garden: { type: 'boolean', default: true },
      zone: { type: 'number', enum: [1, 2, 3] },
    });
  });
});

describe('instanceSchema', () => {
  it('parses the wire forms into the canonical values the JSON Schema describes', () => {
    const schema = instanceSchema(loadSpec('iris'));
    expect(schema.parse({ sepal_length: '5.1', sepal_width: 3.5, petal_length: '1.4', petal_width: 0.2 })).toEqual({
      sepal_length: 5.1,
      sepal_width: 3.5,
      petal_length: 1.4,
      petal_width: 0.2,
    });
  });
});

describe('exampleInstance', () => {
  it('takes each feature example, else its default, else a value inside its range', () => {
    const spec = parseModelSpec(
      {
        features: [
          { name: 'given', type: 'number', example: 2.5, default: 1 },
          { name: 'defaulted', type: 'string', default: 'none' },
          { name: 'positive', type: 'integer', minimum: 3.5, maximum: 10 },
          { name: 'negative', type: 'number', minimum: -5, maximum: -1 },
          { name: 'free', type: 'number' },
          { name: 'choice', type: 'string', enum: ['a', 'b'] },
          { name: 'text', type: 'string' },
          { name: 'flag', type: 'boolean' },
        ],
        inputs: perFeatureInputs({
          given: 'float32',
          defaulted: 'string',
          positive: 'int32',
          negative: 'float64',
          free: 'float32',
          choice: 'string',
          text: 'string',
          flag: 'bool',
        }),
        outputs: { kind: 'regression', output: 'y' },
      },
      'examples.json',
    );
    expect(exampleInstance(spec)).toEqual({
      given: 2.5,
      defaulted: 'none',
      positive: 4,
      negative: -1,
      free: 0,
      choice: 'a',
      text: '',
      flag: false,
    });
  });
});
