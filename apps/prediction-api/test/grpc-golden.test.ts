// Every golden row of every fixture model through ModelInfer over gRPC, a real grpc-js client on the server's own
// .proto: once as typed contents and once as raw_input_contents. Floats within 1e-4 of what Python returned, labels
// exactly; a missing value goes in as NaN (a float) or "" (a string), as the golden file says; raw inputs are answered
// in raw_output_contents, typed ones in typed contents, with the same values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectClose, readGolden, type Golden } from '@onnx-serve/testing';
import { contentsField, grpcClient, outputValues, rawStrings, type GrpcTestClient, type Message } from './grpc-client';
import { allFixtureModels, loadBundledModels, startTestServer, type TestServer } from './test-server';

const goldenFiles: Record<string, string> = {
  'cars-lgbm': 'cars-lgbm.golden.json',
  diabetes: 'diabetes-rf.golden.json',
  digits: 'digits-torch.golden.json',
  'disaster-tweets': 'tweets-logreg.golden.json',
  iris: 'iris-gb-zipmap.golden.json',
  'loans-mixed': 'loans-mixed.golden.json',
  sentiment: 'sentiment-svc.golden.json',
  wine: 'wine-xgb.golden.json',
};

let server: TestServer;
let client: GrpcTestClient;
beforeAll(async () => {
  server = await startTestServer({ registry: await loadBundledModels(allFixtureModels), grpc: true });
  client = grpcClient(server.grpcPort);
});
afterAll(async () => {
  client.close();
  await server.close();
});

type GoldenTensor = { name: string; dtype: 'float32' | 'string' };
type GoldenFile = Omit<Golden, 'input' | 'inputs'> & { input?: GoldenTensor; inputs?: GoldenTensor[]; missing?: { string?: string }; expected_argmax?: Record<string, number[]> };

interface InputTensor {
  name: string;
  datatype: 'FP32' | 'BYTES';
  shape: number[];
  values: (number | string)[];
}

/** The golden rows as the model's input tensors: one [N, features] matrix, or one [N, 1] tensor per column. */
function goldenTensors(golden: GoldenFile): InputTensor[] {
  const fill = (dtype: GoldenTensor['dtype'], value: unknown) => (value === null ? (dtype === 'string' ? (golden.missing?.string ?? '') : NaN) : (value as number | string));
  const rows = golden.rows;
  if (golden.input) {
    const { name, dtype } = golden.input;
    return [{ name, datatype: dtype === 'string' ? 'BYTES' : 'FP32', shape: [rows.length, rows[0]!.length], values: rows.flat().map((value) => fill(dtype, value)) }];
  }
  return golden.inputs!.map(({ name, dtype }, column) => ({
    name,
    datatype: dtype === 'string' ? 'BYTES' : 'FP32',
    shape: [rows.length, 1],
    values: rows.map((row) => fill(dtype, row[column])),
  }));
}

function typedRequest(model: string, tensors: InputTensor[]) {
  return {
    model_name: model,
    inputs: tensors.map(({ name, datatype, shape, values }) => ({
      name,
      datatype,
      shape,
      contents: { [contentsField(datatype)]: datatype === 'BYTES' ? values.map((text) => Buffer.from(text as string, 'utf8')) : values },
    })),
  };
}

function rawRequest(model: string, tensors: InputTensor[]) {
  return {
    model_name: model,
    inputs: tensors.map(({ name, datatype, shape }) => ({ name, datatype, shape })),
    raw_input_contents: tensors.map(({ datatype, values }) =>
      datatype === 'BYTES' ? rawStrings(values as string[]) : Buffer.from(Float32Array.from(values as number[]).buffer),
    ),
  };
}

/** Each output of the answer against the golden file: labels exactly, everything else within 1e-4. */
function expectGolden(response: Message, golden: GoldenFile, model: string) {
  const names: string[] = response.outputs.map((output: { name: string }) => output.name);
  const rowCount = golden.rows.length;
  for (const [name, expected] of Object.entries(golden.expected)) {
    const index = names.indexOf(name);
    expect(index, `${model} answers ${name}`).toBeGreaterThanOrEqual(0);
    const output = response.outputs[index];
    const values = outputValues(response, index);
    const width = Array.isArray(expected[0]) ? (expected[0] as number[]).length : 1;
    expect(output.shape.map(Number)[0], `${model} ${name} rows`).toBe(rowCount);
    expect(values, `${model} ${name}`).toHaveLength(rowCount * width);
    if (output.datatype === 'INT64') expect(values.map(Number), `${model} ${name}`).toEqual(expected.flat());
    else expected.flat().forEach((value, i) => expectClose(values[i] as number, value, `${model} ${name}[${i}]`));
  }
  for (const [name, argmax] of Object.entries(golden.expected_argmax ?? {})) {
    const values = outputValues(response, names.indexOf(name)) as number[];
    const width = values.length / rowCount;
    const top = Array.from({ length: rowCount }, (_, row) => {
      const scores = values.slice(row * width, (row + 1) * width);
      return scores.indexOf(Math.max(...scores));
    });
    expect(top, `${model} ${name} argmax`).toEqual(argmax);
  }
}

describe('golden rows through gRPC ModelInfer', () => {
  it.each(allFixtureModels)('%s: every golden row, as typed contents and as raw_input_contents', async (model) => {
    const golden = readGolden(goldenFiles[model]!) as GoldenFile;
    const tensors = goldenTensors(golden);
    const typed = await client.call('ModelInfer', typedRequest(model, tensors));
    const raw = await client.call('ModelInfer', rawRequest(model, tensors));
    expect([typed.model_name, typed.model_version, raw.model_name, raw.model_version]).toEqual([model, '1', model, '1']);
    expect(typed.raw_output_contents, 'typed inputs: typed outputs').toEqual([]);
    expect(raw.outputs.map((output: { contents: unknown }) => output.contents), 'raw inputs: raw outputs').toEqual(raw.outputs.map(() => null));
    expect(raw.raw_output_contents).toHaveLength(raw.outputs.length);
    expectGolden(typed, golden, model);
    expectGolden(raw, golden, model);
    // The same run either way: the two forms carry exactly the same values.
    raw.outputs.forEach((_: unknown, i: number) => expect(outputValues(raw, i)).toEqual(outputValues(typed, i)));
  });

  it('names the outputs, datatypes and shapes as REST V2 does, and echoes the id or else the request id', async () => {
    const golden = readGolden('iris-gb-zipmap.golden.json') as GoldenFile;
    const request = { ...typedRequest('iris', goldenTensors(golden)), id: 'client-7' };
    const answer = await client.call('ModelInfer', request);
    expect(answer.id).toBe('client-7');
    expect(answer.outputs.map((o: { name: string; datatype: string; shape: string[] }) => [o.name, o.datatype, o.shape])).toEqual([
      ['output_label', 'INT64', ['15']],
      ['output_probability', 'FP32', ['15', '3']],
    ]);
    const traced = await client.call('ModelInfer', typedRequest('iris', goldenTensors(golden)), { 'x-request-id': 'trace-grpc-1' });
    expect(traced.id).toBe('trace-grpc-1');
    expect(client.lastMetadata()?.get('x-request-id')).toEqual(['trace-grpc-1']);
  });

  it('answers only the outputs asked for, in the order asked', async () => {
    const golden = readGolden('iris-gb-zipmap.golden.json') as GoldenFile;
    const request = { ...typedRequest('iris', goldenTensors(golden)), outputs: [{ name: 'output_probability' }, { name: 'output_label' }] };
    const answer = await client.call('ModelInfer', request);
    expect(answer.outputs.map((o: { name: string }) => o.name)).toEqual(['output_probability', 'output_label']);
  });
});
