// The fixture models users bring next (a torch network with external data, an onnxmltools XGBoost classifier)
// over HTTP against their golden rows, and the golden check at load as the API and the process show it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPredictionClient } from '@onnx-serve/api-contract';
import { LocalModelStore, loadModels, type ModelRegistry } from '@onnx-serve/inference';
import { expectClose, goldenStore, removeGoldenStores, readGolden, type GoldenValue } from '@onnx-serve/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readServerConfig } from '../src/config';
import { bundledModelDir, getJson, loadBundledModels, postJson, startTestServer, type TestServer } from './test-server';

afterAll(removeGoldenStores);


/** Golden rows as instances keyed by the spec's matrix columns (the golden names include one with a slash). */
/** Array rows as named instances: a matrix's columns are the spec's features, in order. */
function instances(model: string, rows: GoldenValue[][]): Record<string, unknown>[] {
  const spec = JSON.parse(readFileSync(join(bundledModelDir, model, '1/spec.json'), 'utf8')) as { features: { name: string }[] };
  return rows.map((row) => Object.fromEntries(spec.features.map(({ name }, i) => [name, row[i]])));
}

describe('digits (torch, external data, logits only) and wine (onnxmltools XGBoost) over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ registry: await loadBundledModels(['digits', 'wine']) });
  });
  afterAll(() => server.close());

  it("digits: the label is the argmax of the logits, served as decision scores within 1e-4 of torch's", async () => {
    const golden = readGolden('digits-torch.golden.json') as ReturnType<typeof readGolden> & { expected_argmax: { logits: number[] } };
    const { status, body } = await postJson(`${server.url}/v1/models/digits/predict`, { instances: instances('digits', golden.rows) });
    expect(status).toBe(200);
    expect(body.model).toEqual({ name: 'digits', version: '1' });
    body.predictions.forEach((prediction: { label: string; scores: Record<string, number> }, i: number) => {
      expect(Object.keys(prediction)).toEqual(['label', 'scores']);
      expect(prediction.label).toBe(golden.labels![golden.expected_argmax.logits[i]!]);
      expect(Object.keys(prediction.scores)).toEqual(golden.labels);
      const logits = golden.expected['logits']![i] as number[];
      golden.labels!.forEach((name, k) => expectClose(prediction.scores[name]!, logits[k]!, `row ${i} logit ${name}`));
    });
  });

  it('wine: labels exact and probabilities within 1e-4 of XGBoost, the slashed column under its spec name', async () => {
    const golden = readGolden('wine-xgb.golden.json');
    const { status, body } = await postJson(`${server.url}/v1/models/wine/predict`, { instances: instances('wine', golden.rows) });
    expect(status).toBe(200);
    body.predictions.forEach((prediction: { label: string; probabilities: Record<string, number> }, i: number) => {
      expect(prediction.label).toBe(golden.labels![golden.expected['label']![i] as number]);
      const probabilities = golden.expected['probabilities']![i] as number[];
      golden.labels!.forEach((name, k) => expectClose(prediction.probabilities[name]!, probabilities[k]!, `row ${i} ${name}`));
    });
  });
});

describe('GET /v1/models/{name} tells how the golden rows replayed', () => {
  let server: TestServer;
  let registry: ModelRegistry;
  let dir: string;
  beforeAll(async () => {
    dir = goldenStore({ digits: 'digits-torch', wine: 'wine-xgb' }, { wine: (json) => (json.expected.probabilities[2][1] = 0.5) });
    registry = await loadModels(new LocalModelStore(dir), { goldenCheck: 'warn' });
    server = await startTestServer({ registry });
  });
  afterAll(async () => {
    await server.close();
    await registry.releaseAll();
  });

  it('a passing model says it verified, against what rows and tolerance; its external data file is named', async () => {
    const { status, body } = await getJson(`${server.url}/v1/models/digits`);
    expect(status).toBe(200);
    expect(body.externalData).toEqual(['digits-torch.onnx.data']);
    expect(body.verification).toEqual({
      status: 'passed',
      golden: join(dir, 'digits/1/golden.json'),
      rows: 30,
      tolerance: { relative: 1e-4, absolute: 1e-6 },
      checks: [
        { name: 'logits', kind: 'values', compared: 300, maxAbsError: expect.any(Number), maxRelError: expect.any(Number), mismatches: 0, passed: true },
        { name: 'argmax(logits)', kind: 'labels', compared: 30, maxAbsError: 0, maxRelError: 0, mismatches: 0, passed: true },
        { name: 'label (served)', kind: 'labels', compared: 30, maxAbsError: 0, maxRelError: 0, mismatches: 0, passed: true },
      ],
      failed: [],
      problems: [],
    });
    expect(body.verification.checks[0].maxAbsError).toBeLessThan(1e-5);
  });

  it('a model served under GOLDEN_CHECK=warn says which outputs failed and by how much; the typed client reads it', async () => {
    const detail = await createPredictionClient({ baseUrl: server.url }).getModel('wine');
    expect(detail.verification).toMatchObject({ status: 'failed', failed: ['probabilities'], problems: [] });
    const probabilities = detail.verification?.status === 'failed' ? detail.verification.checks[1] : undefined;
    expect(probabilities).toEqual({
      name: 'probabilities',
      kind: 'values',
      compared: 90,
      maxAbsError: expect.closeTo(0.5 - (readGolden('wine-xgb.golden.json').expected['probabilities']![2] as number[])[1]!, 6),
      maxRelError: expect.any(Number),
      mismatches: 1,
      passed: false,
    });
  });
});

describe('GOLDEN_CHECK', () => {
  it('is refuse unless set to warn or off, and names the variable when it is neither', () => {
    expect(readServerConfig({}).goldenCheck).toBe('refuse');
    expect(readServerConfig({ GOLDEN_CHECK: 'warn' }).goldenCheck).toBe('warn');
    expect(readServerConfig({ GOLDEN_CHECK: 'off' }).goldenCheck).toBe('off');
    expect(() => readServerConfig({ GOLDEN_CHECK: 'strict' })).toThrow(
      'invalid configuration: GOLDEN_CHECK: Invalid option: expected one of "refuse"|"warn"|"off"',
    );
  });
});
