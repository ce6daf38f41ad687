// The golden rows of every example model through POST /v2/models/{name}/infer on the raw ONNX tensors: floats
// within 1e-4 of scikit-learn, labels exactly, float32 outputs exactly the values the session returned.
import { expectClose, readGolden, type Golden } from '@onnx-serve/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelRegistry } from '@onnx-serve/inference';
import { loadBundledModels, postJson, startTestServer, type TestServer } from './test-server';

let server: TestServer;
let registry: ModelRegistry;
beforeAll(async () => {
  registry = await loadBundledModels();
  server = await startTestServer({ registry });
});
afterAll(() => server.close());

const infer = (model: string, body: unknown) => postJson(`${server.url}/v2/models/${model}/infer`, body);

/** One BYTES [N,1] input per golden column, as a V2 client sends the columns of a table. */
function bytesColumns(golden: Golden) {
  return golden.inputs!.map((input, column) => ({
    name: input.name,
    shape: [golden.rows.length, 1],
    datatype: 'BYTES',
    data: golden.rows.map((row) => row[column]),
  }));
}

/** The golden rows as one FP32 [N, features] input, flat row-major. */
function fp32Matrix(golden: Golden) {
  return { name: golden.input!.name, shape: [golden.rows.length, golden.rows[0]!.length], datatype: 'FP32', data: golden.rows.flat() };
}

function expectRowsClose(data: number[], expected: (number | number[])[], width: number, what: string) {
  expect(data).toHaveLength(expected.length * width);
  expected.flat().forEach((value, i) => expectClose(data[i]!, value, `${what} element ${i}`));
}

describe('golden rows through V2 infer', () => {
  it('diabetes: FP32 [12,10] in, the regression values out as FP32 [12,1]', async () => {
    const golden = readGolden('diabetes-rf.golden.json');
    const { status, body } = await infer('diabetes', { inputs: [fp32Matrix(golden)] });
    expect(status).toBe(200);
    expect(body).toMatchObject({ model_name: 'diabetes', model_version: '1' });
    expect(body.outputs.map((o: { name: string; datatype: string; shape: number[] }) => [o.name, o.datatype, o.shape])).toEqual([
      ['variable', 'FP32', [12, 1]],
    ]);
    expectRowsClose(body.outputs[0].data, golden.expected['variable']!, 1, 'variable');
  });

  it('iris: INT64 labels exactly, the ZipMap probabilities as an FP32 [15,3] tensor', async () => {
    const golden = readGolden('iris-gb-zipmap.golden.json');
    const { status, body } = await infer('iris', { inputs: [fp32Matrix(golden)] });
    expect(status).toBe(200);
    const [label, probability] = body.outputs;
    expect(label).toEqual({ name: 'output_label', datatype: 'INT64', shape: [15], data: golden.expected['output_label'] });
    expect(probability).toMatchObject({ name: 'output_probability', datatype: 'FP32', shape: [15, 3] });
    expectRowsClose(probability.data, golden.expected['output_probability']!, 3, 'output_probability');
  });

  it('iris: FP32 outputs are exactly the float32 values of the session, widened to doubles with no rounding', async () => {
    const golden = readGolden('iris-gb-zipmap.golden.json');
    const { body } = await infer('iris', { inputs: [fp32Matrix(golden)] });
    const direct = await registry.get('iris')!.run({
      X: { dtype: 'float32', dims: [15, 4], data: Float32Array.from(golden.rows.flat() as number[]) },
    });
    expect(body.outputs[1].data).toEqual(Array.from(direct['output_probability']!.data as Float32Array));
    body.outputs[1].data.forEach((p: number) => expect(Math.fround(p)).toBe(p));
  });

  it('sentiment: BYTES review_text [5,1] in, labels and decision scores out', async () => {
    const golden = readGolden('sentiment-svc.golden.json');
    const input = { name: 'review_text', shape: [5, 1], datatype: 'BYTES', data: golden.rows.flat() };
    const { status, body } = await infer('sentiment', { inputs: [input] });
    expect(status).toBe(200);
    expect(body.outputs[0]).toEqual({ name: 'label', datatype: 'INT64', shape: [5], data: golden.expected['label'] });
    expect(body.outputs[1]).toMatchObject({ name: 'probabilities', datatype: 'FP32', shape: [5, 1] });
    expectRowsClose(body.outputs[1].data, golden.expected['probabilities']!, 1, 'scores');
  });

  it('disaster-tweets: three BYTES inputs keyword, location, text; labels and probabilities out', async () => {
    const golden = readGolden('tweets-logreg.golden.json');
    const { status, body } = await infer('disaster-tweets', { inputs: bytesColumns(golden) });
    expect(status).toBe(200);
    expect(body.outputs[0]).toEqual({ name: 'label', datatype: 'INT64', shape: [4], data: golden.expected['label'] });
    expect(body.outputs[1]).toMatchObject({ name: 'probabilities', datatype: 'FP32', shape: [4, 2] });
    expectRowsClose(body.outputs[1].data, golden.expected['probabilities']!, 2, 'probabilities');
  });
});

describe('request forms', () => {
  const golden = readGolden('iris-gb-zipmap.golden.json');
  const rows = golden.rows.slice(0, 3) as number[][];

  it('nested data shaped like the tensor answers exactly as flat row-major data', async () => {
    const flat = await infer('iris', { inputs: [{ name: 'X', shape: [3, 4], datatype: 'FP32', data: rows.flat() }] });
    const nested = await infer('iris', { inputs: [{ name: 'X', shape: [3, 4], datatype: 'FP32', data: rows }] });
    expect(nested.status).toBe(200);
    expect(nested.body.outputs).toEqual(flat.body.outputs);
  });

  it('`outputs` returns just the outputs asked for, in the order asked', async () => {
    const input = { name: 'X', shape: [3, 4], datatype: 'FP32', data: rows.flat() };
    const both = await infer('iris', { inputs: [input], outputs: [{ name: 'output_probability' }, { name: 'output_label' }] });
    expect(both.body.outputs.map((o: { name: string }) => o.name)).toEqual(['output_probability', 'output_label']);
    const one = await infer('iris', { inputs: [input], outputs: [{ name: 'output_label', parameters: { binary_data: false } }] });
    expect(one.status).toBe(200);
    expect(one.body.outputs).toEqual([{ name: 'output_label', datatype: 'INT64', shape: [3], data: [0, 0, 0] }]);
  });

  it('echoes the request id, and otherwise answers with the id of the request log', async () => {
    const input = { name: 'X', shape: [1, 4], datatype: 'FP32', data: rows[0] };
    const withId = await infer('iris', { id: 'client-42', parameters: { note: 'ignored' }, inputs: [input] });
    expect(withId.body.id).toBe('client-42');
    const res = await fetch(`${server.url}/v2/models/iris/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-v2-7' },
      body: JSON.stringify({ inputs: [input] }),
    });
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(((await res.json()) as { id: string }).id).toBe('trace-v2-7');
  });

  it('logs the model and the batch size of an infer request', async () => {
    const res = await fetch(`${server.url}/v2/models/iris/infer`, {
      method: 'POST',
      headers: { 'x-request-id': 'trace-v2-log' },
      body: JSON.stringify({ inputs: [{ name: 'X', shape: [3, 4], datatype: 'FP32', data: rows }] }),
    });
    expect(res.status).toBe(200);
    expect(server.logLines.find((l) => l['requestId'] === 'trace-v2-log')).toMatchObject({
      route: '/v2/models/:name/infer',
      status: 200,
      model: 'iris',
      batchSize: 3,
    });
  });
});
