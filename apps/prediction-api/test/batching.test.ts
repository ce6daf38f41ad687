// Dynamic batching over HTTP, on the real diabetes forest with `batching` in its spec: concurrent requests with
// different rows each get exactly their own predictions (the golden values, and the same numbers as the unbatched
// model), and a request whose rows fail validation is refused alone without disturbing the others.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectClose, goldenInstances, readGolden } from '@onnx-serve/testing';
import { specVariantStore } from './spec-variants';
import { getJson, loadBundledModels, postJson, startTestServer, type TestServer } from './test-server';

const batching = { maxRows: 32, maxWaitMicros: 20_000 };
const store = specVariantStore({ 'diabetes-batched': { from: 'diabetes', edit: (spec) => ({ ...spec, batching }) } });
let server: TestServer;
// The same model unbatched, answering the same requests for comparison.
let plainServer: TestServer;
beforeAll(async () => {
  const [batched, plain] = await Promise.all([store.load(), loadBundledModels(['diabetes'])]);
  server = await startTestServer({ registry: batched });
  plainServer = await startTestServer({ registry: plain });
});
afterAll(async () => {
  await Promise.all([server?.close(), plainServer?.close()]);
  store.remove();
});

const golden = readGolden('diabetes-rf.golden.json');
const instances = goldenInstances(golden);
const expected = golden.expected['variable']!.map((v) => (Array.isArray(v) ? v[0] : v) as number);

describe('dynamic batching over HTTP', () => {
  it('answers concurrent requests each with its own rows, as the unbatched model does', async () => {
    // Request i sends golden rows i, i+1… (1 to 3 rows each), all at once.
    const rowsOf = (i: number) => Array.from({ length: 1 + (i % 3) }, (_, k) => (i + k) % instances.length);
    const bodies = Array.from({ length: 12 }, (_, i) => ({ instances: rowsOf(i).map((row) => instances[row]) }));
    const post = (base: string, model: string) => Promise.all(bodies.map((body) => postJson(`${base}/v1/models/${model}/predict`, body)));
    const [batched, plain] = [await post(server.url, 'diabetes-batched'), await post(plainServer.url, 'diabetes')];
    batched.forEach((answer, i) => {
      expect(answer.status).toBe(200);
      expect(answer.body.predictions).toEqual(plain[i]!.body.predictions);
      expect(answer.body.predictions).toHaveLength(1 + (i % 3));
      answer.body.predictions.forEach((p: { value: number }, k: number) => {
        const row = rowsOf(i)[k]!;
        expectClose(p.value, expected[row]!, `request ${i} row ${row}`);
      });
    });
  });

  it('refuses a request with an invalid row alone: the requests batched beside it are answered', async () => {
    const bad = { instances: [{ ...instances[0], bmi: 'heavy' }] };
    const answers = await Promise.all([
      postJson(`${server.url}/v1/models/diabetes-batched/predict`, { instances: [instances[3]] }),
      postJson(`${server.url}/v1/models/diabetes-batched/predict`, bad),
      postJson(`${server.url}/v1/models/diabetes-batched/predict`, { instances: [instances[4], instances[5]] }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 422, 200]);
    expect(answers[1]!.body.error.issues).toEqual([{ path: 'instances[0].bmi', message: 'must be a number ≥ -0.5 and ≤ 0.5, got "heavy"' }]);
    expectClose(answers[0]!.body.predictions[0].value, expected[3]!, 'row 3');
    const pair = answers[2]!.body.predictions.map((p: { value: number }) => p.value);
    expect(pair).toHaveLength(2);
    expectClose(pair[0], expected[4]!, 'row 4');
    expectClose(pair[1], expected[5]!, 'row 5');
  });

  it('shows the batching setting in the model description', async () => {
    const { body } = await getJson(`${server.url}/v1/models/diabetes-batched`);
    expect(body.spec.batching).toEqual(batching);
  });
});
