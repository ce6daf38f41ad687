// Every golden row of every example model goes through HTTP to the real server and must match what
// scikit-learn returned for it.
import { createPredictionClient, type PredictionClient } from '@onnx-serve/api-contract';
import { expectClose, expectSamePrediction, goldenInstances, readGolden, type Golden } from '@onnx-serve/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundledModels, postJson, startTestServer, type TestServer } from './test-server';

let server: TestServer;
let client: PredictionClient;
beforeAll(async () => {
  server = await startTestServer({ registry: await loadBundledModels() });
  client = createPredictionClient({ baseUrl: server.url });
});
afterAll(() => server.close());

async function predictEach(model: string, instances: Record<string, unknown>[]) {
  // The typed client parses the answer with the contract's schemas: a drifted response shape fails here.
  const batch = await client.predict(model, instances);
  expect(batch.model).toEqual({ name: model, version: '1' });
  expect(batch.predictions).toHaveLength(instances.length);
  // One bare object per request must give the same answer as the batch.
  for (const [i, instance] of instances.entries()) {
    const single = await postJson(`${server.url}/v1/models/${model}/predict`, instance);
    expect(single.status).toBe(200);
    expectSamePrediction(single.body.predictions, [batch.predictions[i]], `${model} row ${i} alone`);
  }
  return batch.predictions as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Each prediction's label and per-class probabilities against the golden label and probability outputs. */
function expectClassProbabilities(predictions: Record<string, any>[], golden: Golden, labelOutput: string, probabilityOutput: string) { // eslint-disable-line @typescript-eslint/no-explicit-any
  golden.expected[labelOutput]!.forEach((label, i) => {
    const prediction = predictions[i]!;
    expect(prediction['label']).toBe(golden.labels![label as number]);
    expect(Object.keys(prediction['probabilities'])).toEqual(golden.labels);
    const probabilities = golden.expected[probabilityOutput]![i] as number[];
    golden.labels!.forEach((name, k) => expectClose(prediction['probabilities'][name], probabilities[k]!, `row ${i} ${name}`));
  });
}

describe('golden predictions over HTTP', () => {
  it('diabetes: regression values match scikit-learn within 1e-4', async () => {
    const golden = readGolden('diabetes-rf.golden.json');
    const predictions = await predictEach('diabetes', goldenInstances(golden));
    golden.expected['variable']!.forEach((expected, i) => {
      expect(Object.keys(predictions[i]!)).toEqual(['value']);
      expectClose(predictions[i]!['value'], expected as number, `row ${i}`);
    });
  });

  it('iris: labels and ZipMap probabilities match scikit-learn', async () => {
    const golden = readGolden('iris-gb-zipmap.golden.json');
    const predictions = await predictEach('iris', goldenInstances(golden));
    expectClassProbabilities(predictions, golden, 'output_label', 'output_probability');
  });

  it('sentiment: labels and decision scores match scikit-learn (text model loads despite the locale)', async () => {
    const golden = readGolden('sentiment-svc.golden.json');
    const predictions = await predictEach('sentiment', goldenInstances(golden));
    golden.expected['label']!.forEach((label, i) => {
      const prediction = predictions[i]!;
      expect(prediction['label']).toBe(golden.labels![label as number]);
      expect(Object.keys(prediction['scores'])).toEqual(['positive']);
      expectClose(prediction['scores']['positive'], (golden.expected['probabilities']![i] as number[])[0]!, `row ${i}`);
    });
  });

  it('disaster-tweets: labels and probabilities from three named text fields match scikit-learn', async () => {
    const golden = readGolden('tweets-logreg.golden.json');
    const predictions = await predictEach('disaster-tweets', goldenInstances(golden));
    expectClassProbabilities(predictions, golden, 'label', 'probabilities');
    predictions.forEach((prediction) => expect(prediction['defaulted']).toBeUndefined());
  });

  it('loans-mixed: every row, nulls included, matches scikit-learn; null numbers go in as NaN, null categories as ""', async () => {
    const golden = readGolden('loans-mixed.golden.json');
    const instances = goldenInstances(golden);
    const predictions = await predictEach('loans-mixed', instances);
    expectClassProbabilities(predictions, golden, 'output_label', 'output_probability');
    const numeric = ['annual_income', 'loan_amount', 'debt_to_income', 'credit_score', 'employment_years'];
    predictions.forEach((prediction, i) => {
      const sentNull = (names: string[]) => names.filter((name) => instances[i]![name] === null);
      const missing = sentNull(numeric);
      const defaulted = sentNull(['home_ownership', 'loan_purpose']);
      expect(prediction['missing'], `row ${i}`).toEqual(missing.length > 0 ? missing : undefined);
      expect(prediction['defaulted'], `row ${i}`).toEqual(defaulted.length > 0 ? defaulted : undefined);
    });
    // The golden file's own claims: 15 rows with a null, row 5 with every nullable field null.
    expect(predictions.filter((p) => p['missing'] || p['defaulted'])).toHaveLength(15);
    expect([predictions[5]!['missing'], predictions[5]!['defaulted']]).toEqual([numeric, ['home_ownership', 'loan_purpose']]);
  });

  it('cars-lgbm: every row matches LightGBM, a null mileage or owner count fed as NaN inside the matrix', async () => {
    const golden = readGolden('cars-lgbm.golden.json');
    const instances = goldenInstances(golden);
    const predictions = await predictEach('cars-lgbm', instances);
    golden.expected['variable']!.forEach((expected, i) => {
      expectClose(predictions[i]!['value'], expected as number, `row ${i}`);
      const missing = golden.features!.filter((name) => instances[i]![name] === null);
      expect(predictions[i], `row ${i}`).toEqual({ value: predictions[i]!['value'], ...(missing.length > 0 ? { missing } : {}) });
    });
    expect(predictions.filter((p) => p['missing'])).toHaveLength(7);
  });

  it('a field left out is missing just as a null one is: the same NaN, the same answer', async () => {
    for (const [model, file] of [['loans-mixed', 'loans-mixed.golden.json'], ['cars-lgbm', 'cars-lgbm.golden.json']] as const) {
      const withNulls = goldenInstances(readGolden(file));
      const leftOut = withNulls.map((row) => Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null)));
      expect((await client.predict(model, leftOut)).predictions, model).toEqual((await client.predict(model, withNulls)).predictions);
    }
  });

  it('numeric strings, as tutorial curl examples send them, predict like numbers', async () => {
    const golden = readGolden('iris-gb-zipmap.golden.json');
    const [instance] = goldenInstances(golden);
    const asStrings = Object.fromEntries(Object.entries(instance!).map(([k, v]) => [k, String(v)]));
    expect(await client.predict('iris', asStrings)).toEqual(await client.predict('iris', instance!));
  });
});
