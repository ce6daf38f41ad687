// Every V2 datatype through gRPC both ways, on tiny Identity models (v2-onnx-models.ts) in real onnxruntime sessions:
// typed contents in the datatype's field come back in it, raw bytes come back as raw bytes, 64-bit integers exact to
// their limits, FP16 in raw only, NaN and ±Inf in typed floats as in raw ones, and an element out of range named.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import type { TensorDtype } from '@onnx-serve/feature-spec';
import { LocalModelStore, loadModels } from '@onnx-serve/inference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentsField, grpcClient, outputValues, rawStrings, type GrpcTestClient } from './grpc-client';
import { startTestServer, type TestServer } from './test-server';
import { identityModel } from './v2-onnx-models';

/** Two elements of each datatype as a typed field takes them, and as the test reads them back (outputValues). */
const cases: { dtype: TensorDtype; datatype: string; typed: unknown[]; read: unknown[]; raw: Buffer }[] = [
  { dtype: 'bool', datatype: 'BOOL', typed: [true, false], read: [true, false], raw: Buffer.from([1, 0]) },
  { dtype: 'uint8', datatype: 'UINT8', typed: [0, 255], read: [0, 255], raw: Buffer.from([0, 255]) },
  { dtype: 'uint16', datatype: 'UINT16', typed: [0, 65535], read: [0, 65535], raw: Buffer.from(Uint16Array.from([0, 65535]).buffer) },
  { dtype: 'uint32', datatype: 'UINT32', typed: [0, 4294967295], read: [0, 4294967295], raw: Buffer.from(Uint32Array.from([0, 4294967295]).buffer) },
  {
    dtype: 'uint64',
    datatype: 'UINT64',
    typed: ['0', '18446744073709551615'],
    read: [0n, 18446744073709551615n],
    raw: Buffer.from(BigUint64Array.from([0n, 18446744073709551615n]).buffer),
  },
  { dtype: 'int8', datatype: 'INT8', typed: [-128, 127], read: [-128, 127], raw: Buffer.from(Int8Array.from([-128, 127]).buffer) },
  { dtype: 'int16', datatype: 'INT16', typed: [-32768, 32767], read: [-32768, 32767], raw: Buffer.from(Int16Array.from([-32768, 32767]).buffer) },
  { dtype: 'int32', datatype: 'INT32', typed: [-2147483648, 2147483647], read: [-2147483648, 2147483647], raw: Buffer.from(Int32Array.from([-2147483648, 2147483647]).buffer) },
  {
    dtype: 'int64',
    datatype: 'INT64',
    typed: ['-9223372036854775808', '9223372036854775807'],
    read: [-9223372036854775808n, 9223372036854775807n],
    raw: Buffer.from(BigInt64Array.from([-9223372036854775808n, 9223372036854775807n]).buffer),
  },
  { dtype: 'float32', datatype: 'FP32', typed: [0.1, NaN], read: [Math.fround(0.1), NaN], raw: Buffer.from(Float32Array.from([0.1, NaN]).buffer) },
  { dtype: 'float64', datatype: 'FP64', typed: [0.1, -Infinity], read: [0.1, -Infinity], raw: Buffer.from(Float64Array.from([0.1, -Infinity]).buffer) },
  { dtype: 'string', datatype: 'BYTES', typed: [Buffer.from('naïve'), Buffer.from('')], read: ['naïve', ''], raw: rawStrings(['naïve', '']) },
];

let server: TestServer;
let client: GrpcTestClient;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'grpc-datatypes-'));
  for (const dtype of [...cases.map((c) => c.dtype), 'float16' as const]) writeFileSync(join(dir, `identity-${dtype}.onnx`), identityModel(dtype, ['batch', 2]));
  server = await startTestServer({ registry: await loadModels(new LocalModelStore(dir), { intraOpNumThreads: 1 }), grpc: true });
  client = grpcClient(server.grpcPort);
});
afterAll(async () => {
  client.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const input = (datatype: string, extra: Record<string, unknown> = {}) => ({ name: 'x', datatype, shape: [1, 2], ...extra });

describe('each datatype through gRPC', () => {
  it.each(cases)('$datatype: typed contents in, the same typed contents out', async ({ dtype, datatype, typed, read }) => {
    const answer = await client.call('ModelInfer', { model_name: `identity-${dtype}`, inputs: [input(datatype, { contents: { [contentsField(datatype)]: typed } })] });
    expect(answer.raw_output_contents).toEqual([]);
    expect([answer.outputs[0].name, answer.outputs[0].datatype, answer.outputs[0].shape]).toEqual(['y', datatype, ['1', '2']]);
    expect(outputValues(answer, 0)).toEqual(read);
  });

  it.each(cases)('$datatype: raw bytes in, the same bytes out', async ({ dtype, datatype, raw }) => {
    const answer = await client.call('ModelInfer', { model_name: `identity-${dtype}`, inputs: [input(datatype)], raw_input_contents: [raw] });
    expect(answer.outputs[0].contents).toBeNull();
    expect(answer.raw_output_contents).toEqual([raw]);
  });

  it('FP16 goes in raw only, and comes back raw', async () => {
    const half = Buffer.from(Uint16Array.from([0x3c00, 0xc000]).buffer); // 1.0, -2.0
    const answer = await client.call('ModelInfer', { model_name: 'identity-float16', inputs: [input('FP16')], raw_input_contents: [half] });
    expect(answer.raw_output_contents).toEqual([half]);
    const typed = await client.call('ModelInfer', { model_name: 'identity-float16', inputs: [input('FP16', { contents: { fp32_contents: [1, -2] } })] }).catch((err) => err);
    expect([status[typed.code], typed.details]).toEqual(['INVALID_ARGUMENT', 'input "x": FP16 has no typed contents: send it in raw_input_contents']);
  });

  it('names an element out of its datatype’s range', async () => {
    const refused = await client.call('ModelInfer', { model_name: 'identity-int8', inputs: [input('INT8', { contents: { int_contents: [1, 300] } })] }).catch((err) => err);
    expect([status[refused.code], refused.details]).toEqual(['INVALID_ARGUMENT', 'input "x": data[1] must be an integer from -128 to 127 (INT8), got 300']);
  });
});
