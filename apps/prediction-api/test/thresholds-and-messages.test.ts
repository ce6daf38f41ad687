// A spec's threshold and per-class messages over HTTP, on the real loans-mixed model: every golden row is labelled by
// the threshold, says so (and whether the model by itself said otherwise), and carries its class's message filled in.
import { createPredictionClient, modelResponseSchema, type ClassPrediction } from '@onnx-serve/api-contract';
import { expectClose, goldenInstances, readGolden } from '@onnx-serve/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specVariantStore, strictLoans } from './spec-variants';
import { getJson, startTestServer, type TestServer } from './test-server';

const store = specVariantStore({ 'loans-strict': strictLoans });
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ registry: await store.load() });
});
afterAll(async () => {
  await server?.close();
  store.remove();
});

const percent = (p: number) => `${(p * 100).toFixed(1)}%`;

describe('a threshold and per-class messages', () => {
  it('labels every golden row by P(defaulted) ≥ 0.4, names the model\'s own label, and fills the class\'s message', async () => {
    const golden = readGolden('loans-mixed.golden.json');
    const client = createPredictionClient({ baseUrl: server.url });
    // The typed client parses the answer with the contract's schemas, threshold and message included.
    const { predictions } = await client.predict('loans-strict', goldenInstances(golden));
    const modelLabels = golden.expected['output_label']!.map((label) => golden.labels![label as number]!);
    let changed = 0;
    (predictions as ClassPrediction[]).forEach((prediction, i) => {
      const expectedDefault = (golden.expected['output_probability']![i] as number[])[1]!;
      const probability = prediction.probabilities!['defaulted']!;
      expectClose(probability, expectedDefault, `row ${i}`);
      const label = probability >= 0.4 ? 'defaulted' : 'repaid';
      if (label !== modelLabels[i]) changed++;
      expect(prediction, `row ${i}`).toEqual({
        label,
        probabilities: prediction.probabilities,
        threshold: { value: 0.4, modelLabel: modelLabels[i], changed: label !== modelLabels[i] },
        message:
          label === 'defaulted'
            ? `${percent(probability)} chance of default`
            : `${percent(probability)} chance of default, under the 40.0% threshold: repaid`,
        ...('missing' in prediction ? { missing: prediction.missing } : {}),
        ...('defaulted' in prediction ? { defaulted: prediction.defaulted } : {}),
      });
    });
    // P(defaulted) of 0.406, 0.408, 0.413 and 0.431: the model says repaid, the threshold says defaulted.
    expect(changed).toBe(4);
  });

  it('answers as its documented response schema says, and that schema requires the threshold decision', async () => {
    const client = createPredictionClient({ baseUrl: server.url });
    const schema = modelResponseSchema(await client.getModel('loans-strict'));
    const [instance] = goldenInstances(readGolden('loans-mixed.golden.json'));
    const answer = await client.predict('loans-strict', instance!);
    expect(schema.safeParse(answer).error).toBeUndefined();
    const { threshold: _dropped, ...undecided } = answer.predictions[0] as ClassPrediction;
    expect(schema.safeParse({ ...answer, predictions: [undecided] }).success).toBe(false);
    const { body } = await getJson(`${server.url}/openapi.json`);
    const documented = body.paths['/v1/models/loans-strict/predict'].post.responses['200'].content['application/json'].schema;
    expect(Object.keys(documented.properties.predictions.items.properties)).toEqual([
      'label',
      'probabilities',
      'threshold',
      'message',
      'defaulted',
      'missing',
    ]);
  });
});
