// A folder of bare .onnx files (no spec) still serves: instances are the inputs' rows, predictions are keyed
// by ONNX output name.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalModelStore, loadModels } from '@onnx-serve/inference';
import { expectClose, readGolden } from '@onnx-serve/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledModelDir, getJson, postJson, startTestServer, type TestServer } from './test-server';

let server: TestServer;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bare-models-'));
  copyFileSync(join(bundledModelDir, 'diabetes/1/model.onnx'), join(dir, 'diabetes-rf.onnx'));
  copyFileSync(join(bundledModelDir, 'iris/1/model.onnx'), join(dir, 'iris-zipmap.onnx'));
  copyFileSync(join(bundledModelDir, 'disaster-tweets/1/model.onnx'), join(dir, 'tweets.onnx'));
  server = await startTestServer({ registry: await loadModels(new LocalModelStore(dir), {}) });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('bare .onnx files served with specs inferred from their signatures', () => {
  it('serves each file under its name, in raw mode', async () => {
    const { body } = await getJson(`${server.url}/v1/models`);
    expect(body.models.map((m: { name: string; mode: string }) => [m.name, m.mode])).toEqual([
      ['diabetes-rf', 'raw'],
      ['iris-zipmap', 'raw'],
      ['tweets', 'raw'],
    ]);
  });

  it('one-input model: an instance is the input row; a one-element output row is a scalar', async () => {
    const golden = readGolden('diabetes-rf.golden.json');
    const { status, body } = await postJson(`${server.url}/v1/models/diabetes-rf/predict`, { instances: golden.rows });
    expect(status).toBe(200);
    expect(body.model).toEqual({ name: 'diabetes-rf', version: '1' });
    golden.expected['variable']!.forEach((expected, i) => {
      expect(Object.keys(body.predictions[i])).toEqual(['variable']);
      expectClose(body.predictions[i].variable, expected as number, `row ${i}`);
    });
  });

  it('a ZipMap output comes back as {class: probability}, labels as plain numbers', async () => {
    const golden = readGolden('iris-gb-zipmap.golden.json');
    const { status, body } = await postJson(`${server.url}/v1/models/iris-zipmap/predict`, { instances: golden.rows });
    expect(status).toBe(200);
    golden.expected['output_label']!.forEach((label, i) => {
      expect(body.predictions[i].output_label).toBe(label);
      const probabilities = golden.expected['output_probability']![i] as number[];
      expect(Object.keys(body.predictions[i].output_probability)).toEqual(['0', '1', '2']);
      probabilities.forEach((p, k) => expectClose(body.predictions[i].output_probability[String(k)], p, `row ${i}`));
    });
  });

  it('several inputs: an instance is an object keyed by input name', async () => {
    const golden = readGolden('tweets-logreg.golden.json');
    const instances = golden.rows.map(([keyword, location, text]) => ({ keyword: [keyword], location, text }));
    const { status, body } = await postJson(`${server.url}/v1/models/tweets/predict`, { instances });
    expect(status).toBe(200);
    golden.expected['label']!.forEach((label, i) => {
      expect(body.predictions[i].label).toBe(label);
      const probabilities = golden.expected['probabilities']![i] as number[];
      probabilities.forEach((p, k) => expectClose(body.predictions[i].probabilities[k], p, `row ${i}`));
    });
  });

  it('a row of the wrong shape is a 422 that names the instance and the expected shape', async () => {
    const { status, body } = await postJson(`${server.url}/v1/models/diabetes-rf/predict`, { instances: [[1, 2, 3]] });
    expect(status).toBe(422);
    expect(body.error.code).toBe('invalid_features');
    expect(body.error.issues[0].path).toMatch(/^instances\[0\]/);
  });
});
