// The documented schemas agree with the code that really validates requests and reads predictions: what the
// validator accepts the request schema accepts, what it refuses the schema refuses, and what the readers return
// the response schema accepts.
import {
  createFeatureValidator,
  createRawValidator,
  readPredictions,
  readRawPredictions,
  RequestValidationError,
  type TensorMap,
} from '@onnx-serve/feature-spec';
import { describe, expect, it } from 'vitest';
import { bundledModel, bundledNames } from '../test/bundled-models';
import { modelExampleInstance, modelRequestSchema, modelResponseSchema } from './model-schemas';

const iris = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };

function expectBothAccept(model: ReturnType<typeof bundledModel>, body: unknown) {
  const validate = model.spec ? createFeatureValidator(model.spec) : createRawValidator(model.signature);
  expect(() => validate(body), JSON.stringify(body)).not.toThrow();
  expect(modelRequestSchema(model).safeParse(body).success, JSON.stringify(body)).toBe(true);
}

function expectBothRefuse(model: ReturnType<typeof bundledModel>, body: unknown) {
  const validate = model.spec ? createFeatureValidator(model.spec) : createRawValidator(model.signature);
  expect(() => validate(body), JSON.stringify(body)).toThrow(RequestValidationError);
  expect(modelRequestSchema(model).safeParse(body).success, JSON.stringify(body)).toBe(false);
}

describe('modelRequestSchema', () => {
  it.each(bundledNames)('%s: the example is accepted in both modes, batched and (features mode) bare', (name) => {
    for (const model of [bundledModel(name), bundledModel(name, 'raw')]) {
      expectBothAccept(model, { instances: [modelExampleInstance(model), modelExampleInstance(model)] });
      if (model.spec) expectBothAccept(model, modelExampleInstance(model));
    }
  });

  it('refuses an out-of-range value, an unknown feature, a missing one, an empty batch and a stray field', () => {
    const model = bundledModel('iris');
    expectBothRefuse(model, { ...iris, petal_length: 11 });
    expectBothRefuse(model, { ...iris, petal_lenght: 1 });
    const { sepal_width: _missing, ...partial } = iris;
    expectBothRefuse(model, { instances: [partial] });
    expectBothRefuse(model, { instances: [] });
    expectBothRefuse(model, { instances: [iris], extra: true });
  });

  it('accepts null or nothing for a missing "nan" number and a string with a default, and refuses a null elsewhere', () => {
    const model = bundledModel('loans-mixed');
    const loan = modelExampleInstance(model) as Record<string, unknown>;
    expectBothAccept(model, { ...loan, credit_score: null, home_ownership: null });
    const { annual_income: _income, loan_purpose: _purpose, ...partial } = loan;
    expectBothAccept(model, { instances: [partial] });
    expectBothRefuse(model, { ...loan, term: null });
    expectBothRefuse(model, { ...loan, credit_score: 'NaN' });
    const cars = bundledModel('cars-lgbm');
    expectBothAccept(cars, { ...(modelExampleInstance(cars) as object), mileage_km: null });
    expectBothRefuse(cars, { ...(modelExampleInstance(cars) as object), model_year: null });
  });

  it('refuses a raw row of the wrong length or element type, and a bare raw instance', () => {
    const model = bundledModel('diabetes', 'raw');
    expectBothRefuse(model, { instances: [[1, 2, 3]] });
    expectBothRefuse(model, { instances: [Array.from({ length: 10 }, () => 'x')] });
    expectBothRefuse(model, Array.from({ length: 10 }, () => 0));
    const tweets = bundledModel('disaster-tweets', 'raw');
    expectBothAccept(tweets, { instances: [{ keyword: ['flood'], location: 'Mumbai', text: ['water everywhere'] }] });
    expectBothRefuse(tweets, { instances: [{ keyword: ['flood'], text: ['no location'] }] });
  });

  it('applies the server limits: at most maxInstances, strings at most maxStringLength', () => {
    const model = bundledModel('sentiment');
    const schema = modelRequestSchema(model, { maxInstances: 2, maxStringLength: 5 });
    expect(schema.safeParse({ instances: [{ review_text: 'good' }, { review_text: 'bad' }] }).success).toBe(true);
    expect(schema.safeParse({ instances: [1, 2, 3].map(() => ({ review_text: 'ok' })) }).success).toBe(false);
    expect(schema.safeParse({ review_text: 'too long' }).success).toBe(false);
  });
});

const f32 = (...values: number[]) => ({ dtype: 'float32' as const, dims: [1, values.length], data: new Float32Array(values) });
const labels = (...values: bigint[]) => ({ dtype: 'int64' as const, dims: [values.length], data: new BigInt64Array(values) });

describe('modelResponseSchema', () => {
  const respond = (name: string, outputs: TensorMap, raw = false) => {
    const model = bundledModel(name, raw ? 'raw' : 'features');
    const predictions = model.spec ? readPredictions(model.spec, outputs, 1) : readRawPredictions(model.signature, outputs, 1);
    return { schema: modelResponseSchema(model), body: { model: { name: model.name, version: '1' }, predictions } };
  };

  it('accepts what the prediction readers return, in both modes, for every bundled model', () => {
    const outputs: Record<string, TensorMap> = {
      iris: { output_label: labels(2n), output_probability: f32(0.1, 0.2, 0.7) },
      diabetes: { variable: f32(151.5) },
      'cars-lgbm': { variable: f32(8084.2) },
      'loans-mixed': { output_label: labels(0n), output_probability: f32(0.7, 0.3) },
      sentiment: { label: labels(1n), probabilities: f32(0.8) },
      'disaster-tweets': { label: labels(0n), probabilities: f32(0.9, 0.1) },
    };
    for (const [name, tensors] of Object.entries(outputs)) {
      for (const raw of [false, true]) {
        const { schema, body } = respond(name, tensors, raw);
        expect(schema.safeParse(body).error, `${name} raw=${raw}: ${JSON.stringify(body)}`).toBeUndefined();
      }
    }
  });

  it('lists only features that can be missing or defaulted, and shows threshold and message when the spec sets them', () => {
    const loans = bundledModel('loans-mixed');
    const schema = modelResponseSchema(loans);
    const body = (prediction: object) => ({ model: { name: 'loans-mixed', version: '1' }, predictions: [prediction] });
    const repaid = { label: 'repaid', probabilities: { repaid: 0.7, defaulted: 0.3 } };
    expect(schema.safeParse(body({ ...repaid, missing: ['credit_score'], defaulted: ['home_ownership'] })).success).toBe(true);
    expect(schema.safeParse(body({ ...repaid, missing: ['term'] })).success).toBe(false);
    expect(schema.safeParse(body({ ...repaid, defaulted: ['credit_score'] })).success).toBe(false);
    expect(schema.safeParse(body({ ...repaid, message: 'hello' })).success).toBe(false);

    const outputs = { ...loans.spec!.outputs, threshold: 0.25, messages: { defaulted: '{probability} chance of default' } };
    const strict = { ...loans, spec: { ...loans.spec!, outputs } as typeof loans.spec };
    const tensors = { output_label: labels(0n), output_probability: f32(0.7, 0.3) };
    const predictions = readPredictions(strict.spec!, tensors, 1);
    expect(predictions).toEqual([
      {
        label: 'defaulted',
        probabilities: { repaid: Math.fround(0.7), defaulted: Math.fround(0.3) },
        threshold: { value: 0.25, modelLabel: 'repaid', changed: true },
        message: '30.0% chance of default',
      },
    ]);
    expect(modelResponseSchema(strict).safeParse(body(predictions[0]!)).error).toBeUndefined();
    expect(modelResponseSchema(strict).safeParse(body(repaid)).success).toBe(false); // the threshold decision is always there
  });

  it('refuses a label that is not one of the classes and a prediction of the wrong model', () => {
    const { schema, body } = respond('iris', { output_label: labels(2n), output_probability: f32(0.1, 0.2, 0.7) });
    expect(schema.safeParse({ ...body, predictions: [{ label: 'rose', probabilities: {} }] }).success).toBe(false);
    expect(schema.safeParse({ ...body, model: { name: 'diabetes', version: '1' } }).success).toBe(false);
  });
});

describe('raw-mode elements, as the tensor codec reads and writes them', () => {
  const signature = {
    inputs: [
      { name: 'small', dtype: 'uint8' as const, shape: [null, 2] },
      { name: 'id', dtype: 'int64' as const, shape: [null] },
    ],
    outputs: [{ name: 'half', dtype: 'float16' as const, shape: [null, 2] }],
  };
  const model = { name: 'codec', version: '1', spec: null, signature };

  it('takes integers in range, and a 64-bit integer as a string of at most 20 digits', () => {
    expectBothAccept(model, { instances: [{ small: [0, 255], id: '-9223372036854775808' }, { small: [1, 2], id: 7 }] });
    expectBothRefuse(model, { instances: [{ small: [0, 256], id: 7 }] });
    expectBothRefuse(model, { instances: [{ small: [0, 1], id: 2 ** 53 }] });
    expectBothRefuse(model, { instances: [{ small: [0, 1], id: `${'0'.repeat(20)}7` }] });
  });

  it('answers float16 outputs as numbers, which the response schema accepts', () => {
    const outputs = { half: { dtype: 'float16' as const, dims: [1, 2], data: new Uint16Array([0x3c00, 0x7bff]) } };
    const predictions = readRawPredictions(signature, outputs, 1);
    expect(predictions).toEqual([{ half: [1, 65504] }]);
    expect(modelResponseSchema(model).safeParse({ model: { name: 'codec', version: '1' }, predictions }).error).toBeUndefined();
  });
});
