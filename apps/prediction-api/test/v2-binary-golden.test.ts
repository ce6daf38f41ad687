// Triton's binary tensor data extension over HTTP, both ways: the golden rows of every fixture model sent as binary
// tensors (mixed with JSON inputs where a model has several), the binary outputs decoded and held to the golden
// outputs; the choice of binary or JSON per output; content types as Triton's clients send them; the request log
// and metrics of a binary request. The requests are written by hand from the spec (see v2-binary.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectClose, parseExposition, readGolden, sampleValue, type Golden, type GoldenValue } from '@onnx-serve/testing';
import { allFixtureModels, loadBundledModels, postJson, startTestServer, type TestServer } from './test-server';
import { fp32Bytes, postBinary, readAnswer, readFp32, readInt64, stringBytes, binaryBody } from './v2-binary';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ registry: await loadBundledModels(allFixtureModels) });
});
afterAll(() => server.close());

const inferUrl = (model: string) => `${server.url}/v2/models/${model}/infer`;

type GoldenFile = Omit<Golden, 'input' | 'inputs'> & { input?: { name: string; dtype: string }; inputs?: { name: string; dtype: string }[] };

/**
 * The golden rows as a V2 request: one FP32 matrix, or one [N,1] tensor per column. Every input goes as binary
 * except those named in `json`; missing values as the model takes them (NaN, which JSON cannot carry; "").
 */
function goldenRequest(golden: GoldenFile, json: string[] = []) {
  const rows = golden.rows.length;
  const tensors = golden.input
    ? [{ ...golden.input, shape: [rows, golden.rows[0]!.length], values: golden.rows.flat() }]
    : golden.inputs!.map((input, column) => ({ ...input, shape: [rows, 1], values: golden.rows.map((row) => row[column]!) }));
  const binary: Uint8Array[] = [];
  const inputs = tensors.map(({ name, dtype, shape, values }) => {
    const datatype = dtype === 'string' ? 'BYTES' : 'FP32';
    const strings = () => values.map((value: GoldenValue) => (value === null ? '' : String(value)));
    if (json.includes(name)) return { name, shape, datatype, data: dtype === 'string' ? strings() : values };
    const bytes = dtype === 'string' ? stringBytes(strings()) : fp32Bytes(values as (number | null)[]);
    binary.push(bytes);
    return { name, shape, datatype, parameters: { binary_data_size: bytes.length } };
  });
  return { header: { inputs, parameters: { binary_data_output: true } }, binary };
}

const goldenCases: { model: string; golden: string; json?: string[] }[] = [
  { model: 'diabetes', golden: 'diabetes-rf' },
  { model: 'iris', golden: 'iris-gb-zipmap' },
  { model: 'cars-lgbm', golden: 'cars-lgbm' },
  { model: 'digits', golden: 'digits-torch' },
  { model: 'wine', golden: 'wine-xgb' },
  { model: 'sentiment', golden: 'sentiment-svc' },
  { model: 'disaster-tweets', golden: 'tweets-logreg', json: ['location'] },
  { model: 'loans-mixed', golden: 'loans-mixed', json: ['home_ownership', 'loan_purpose', 'term'] },
];

describe('golden rows as binary tensors, binary outputs back', () => {
  it.each(goldenCases)('$model: binary in (JSON for $json), every output as binary within 1e-4 of the golden values, labels exactly', async (c) => {
    const golden = readGolden(`${c.golden}.golden.json`) as GoldenFile;
    const { header, binary } = goldenRequest(golden, c.json);
    const answer = await postBinary(inferUrl(c.model), header, binary);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/octet-stream');
    expect(answer.body).toMatchObject({ model_name: c.model, model_version: '1' });
    expect(answer.body.outputs.map((o: { name: string }) => o.name)).toEqual(Object.keys(golden.expected));
    for (const output of answer.body.outputs as { name: string; datatype: string; shape: number[]; parameters: object }[]) {
      const expected = golden.expected[output.name]!.flat() as number[];
      const width = output.datatype === 'INT64' ? 8 : 4;
      expect(output, output.name).toEqual({
        name: output.name,
        datatype: output.datatype,
        shape: output.shape,
        parameters: { binary_data_size: expected.length * width },
      });
      expect(output.shape[0]).toBe(golden.rows.length);
      expect(output.shape.reduce((a, b) => a * b, 1)).toBe(expected.length);
      const bytes = answer.binary[output.name]!;
      if (output.datatype === 'INT64') expect(readInt64(bytes), output.name).toEqual(expected);
      else readFp32(bytes).forEach((value, i) => expectClose(value, expected[i]!, `${c.model} ${output.name} element ${i}`));
    }
  });

  it('binary outputs are the very values the JSON answer holds; binary inputs answer as JSON ones do', async () => {
    const golden = readGolden('iris-gb-zipmap.golden.json') as GoldenFile;
    const { header, binary } = goldenRequest(golden);
    const fromBinary = await postBinary(inferUrl('iris'), header, binary);
    const input = { name: 'X', shape: [15, 4], datatype: 'FP32', data: golden.rows.flat() };
    const fromJson = await postJson(inferUrl('iris'), { inputs: [input] });
    expect(fromJson.status).toBe(200);
    const [label, probability] = fromJson.body.outputs;
    expect(readInt64(fromBinary.binary['output_label']!)).toEqual(label.data);
    expect(readFp32(fromBinary.binary['output_probability']!)).toEqual(probability.data);
    expect(fromBinary.body.outputs.map((o: { shape: number[] }) => o.shape)).toEqual([label.shape, probability.shape]);
  });
});

describe('binary or JSON, output by output', () => {
  const golden = readGolden('tweets-logreg.golden.json') as GoldenFile;

  it('binary_data on an output overrides binary_data_output; the JSON header tells its own length', async () => {
    const { header, binary } = goldenRequest(golden, ['keyword']);
    const outputs = [{ name: 'label', parameters: { binary_data: true } }, { name: 'probabilities', parameters: { binary_data: false } }];
    const answer = await postBinary(inferUrl('disaster-tweets'), { ...header, id: 'mixed-1', outputs }, binary);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      model_name: 'disaster-tweets',
      model_version: '1',
      id: 'mixed-1',
      outputs: [
        { name: 'label', datatype: 'INT64', shape: [4], parameters: { binary_data_size: 32 } },
        { name: 'probabilities', datatype: 'FP32', shape: [4, 2], data: answer.body.outputs[1].data },
      ],
    });
    expect(readInt64(answer.binary['label']!)).toEqual(golden.expected['label']);
    (golden.expected['probabilities']!.flat() as number[]).forEach((p, i) => expectClose(answer.body.outputs[1].data[i], p, `element ${i}`));
    const headerLength = Number(answer.headers.get('inference-header-content-length'));
    expect(headerLength).toBe(new TextEncoder().encode(JSON.stringify(answer.body)).length);
    expect(Number(answer.headers.get('content-length'))).toBe(headerLength + 32);
  });

  it('a JSON request may ask for binary outputs, and a binary request for JSON ones (then the answer is plain JSON)', async () => {
    const rows = golden.rows;
    const inputs = golden.inputs!.map((input, column) => ({ name: input.name, shape: [4, 1], datatype: 'BYTES', data: rows.map((row) => row[column]) }));
    const res = await fetch(inferUrl('disaster-tweets'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs, outputs: [{ name: 'label', parameters: { binary_data: true } }] }),
    });
    const binaryAnswer = await readAnswer(res);
    expect(binaryAnswer.headers.get('content-type')).toBe('application/octet-stream');
    expect(binaryAnswer.body.outputs).toEqual([{ name: 'label', datatype: 'INT64', shape: [4], parameters: { binary_data_size: 32 } }]);
    expect(readInt64(binaryAnswer.binary['label']!)).toEqual(golden.expected['label']);

    const { header, binary } = goldenRequest(golden);
    const jsonAnswer = await postBinary(inferUrl('disaster-tweets'), { ...header, parameters: {}, outputs: [{ name: 'label' }] }, binary);
    expect(jsonAnswer.status).toBe(200);
    expect(jsonAnswer.headers.get('content-type')).toBe('application/json');
    expect(jsonAnswer.headers.get('inference-header-content-length')).toBeNull();
    expect(jsonAnswer.body.outputs).toEqual([{ name: 'label', datatype: 'INT64', shape: [4], data: golden.expected['label'] }]);
  });

  it('takes the body whatever its Content-Type says: none (tritonclient), application/octet-stream, application/json', async () => {
    const { header, binary } = goldenRequest(golden);
    for (const contentType of [undefined, 'application/octet-stream', 'application/json']) {
      const answer = await postBinary(inferUrl('disaster-tweets'), header, binary, contentType ? { 'content-type': contentType } : {});
      expect(answer.status, contentType).toBe(200);
      expect(readInt64(answer.binary['label']!), contentType).toEqual(golden.expected['label']);
    }
  });
});

describe('the request log and the metrics of a binary request', () => {
  it('logs the model and the batch size, and counts the run with its batch size', async () => {
    const scrape = async () => parseExposition(await (await fetch(`${server.url}/metrics`)).text());
    const before = await scrape();
    const golden = readGolden('wine-xgb.golden.json') as GoldenFile;
    const { body, headerLength } = binaryBody(goldenRequest(golden).header, goldenRequest(golden).binary);
    const res = await fetch(inferUrl('wine'), {
      method: 'POST',
      headers: { 'inference-header-content-length': String(headerLength), 'x-request-id': 'binary-log-1' },
      body,
    });
    expect(res.status).toBe(200);
    expect(server.logLines.find((line) => line['requestId'] === 'binary-log-1')).toMatchObject({
      route: '/v2/models/:name/infer',
      status: 200,
      model: 'wine',
      batchSize: 30,
    });
    const after = await scrape();
    const delta = (name: string) => (sampleValue(after, name, { model: 'wine' }) ?? 0) - (sampleValue(before, name, { model: 'wine' }) ?? 0);
    expect(delta('inference_batch_size_count')).toBe(1);
    expect(delta('inference_batch_size_sum')).toBe(30);
  });
});
