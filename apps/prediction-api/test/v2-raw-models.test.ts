// Models with no spec at all through V2: a bundled model copied as a bare .onnx file, and tiny Identity models of
// every element type, so each V2 datatype goes into a real session and comes back out.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TensorDtype } from '@onnx-serve/feature-spec';
import { LocalModelStore, loadModels } from '@onnx-serve/inference';
import { expectClose, readGolden } from '@onnx-serve/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledModelDir, getJson, postJson, startTestServer, type TestServer } from './test-server';
import { postBinary, stringBytes } from './v2-binary';
import { castModel, identityModel, onnxModel } from './v2-onnx-models';

const datatypes: Record<TensorDtype, string> = {
  bool: 'BOOL',
  uint8: 'UINT8',
  uint16: 'UINT16',
  uint32: 'UINT32',
  uint64: 'UINT64',
  int8: 'INT8',
  int16: 'INT16',
  int32: 'INT32',
  int64: 'INT64',
  float16: 'FP16',
  float32: 'FP32',
  float64: 'FP64',
  string: 'BYTES',
};

let server: TestServer;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'v2-bare-models-'));
  copyFileSync(join(bundledModelDir, 'iris/1/model.onnx'), join(dir, 'iris-bare.onnx'));
  for (const dtype of Object.keys(datatypes) as TensorDtype[]) {
    writeFileSync(join(dir, `identity-${dtype}.onnx`), identityModel(dtype, ['batch', 2]));
  }
  writeFileSync(join(dir, 'scalar.onnx'), identityModel('int32', []));
  writeFileSync(join(dir, 'half-output.onnx'), castModel('float32', 'float16', ['batch', 2]));
  const sequenceInput = { name: 's', dtype: 'float32' as const, dims: ['n'], sequence: true };
  const lengthOutput = { name: 'length', dtype: 'int64' as const, dims: [] };
  writeFileSync(join(dir, 'sequence-length.onnx'), onnxModel([{ op: 'SequenceLength', inputs: ['s'], outputs: ['length'] }], [sequenceInput], [lengthOutput]));
  server = await startTestServer({ registry: await loadModels(new LocalModelStore(dir), { intraOpNumThreads: 1 }) });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends `data` as input x [1,2] of the identity model of `dtype`. */
const echo = (dtype: TensorDtype, data: unknown[]) =>
  postJson(`${server.url}/v2/models/identity-${dtype}/infer`, { inputs: [{ name: 'x', shape: [1, 2], datatype: datatypes[dtype], data }] });

async function expectEcho(dtype: TensorDtype, data: unknown[], expected: unknown[] = data) {
  const { status, body } = await echo(dtype, data);
  expect(status, dtype).toBe(200);
  expect(body.outputs, dtype).toEqual([{ name: 'y', datatype: datatypes[dtype], shape: [1, 2], data: expected }]);
}

async function expectRejected(dtype: TensorDtype, data: unknown[], message: string) {
  const { status, body } = await echo(dtype, data);
  expect(status, dtype).toBe(400);
  expect(body).toEqual({ error: `input "x": ${message}` });
}

describe('a bundled model as a bare .onnx file, no spec', () => {
  it('answers the golden rows as the model with its spec does', async () => {
    const golden = readGolden('iris-gb-zipmap.golden.json');
    const input = { name: 'X', shape: [golden.rows.length, 4], datatype: 'FP32', data: golden.rows };
    const { status, body } = await postJson(`${server.url}/v2/models/iris-bare/versions/1/infer`, { inputs: [input] });
    expect(status).toBe(200);
    expect(body).toMatchObject({ model_name: 'iris-bare', model_version: '1' });
    expect(body.outputs[0]).toEqual({ name: 'output_label', datatype: 'INT64', shape: [15], data: golden.expected['output_label'] });
    expect(body.outputs[1].shape).toEqual([15, 3]);
    (golden.expected['output_probability']!.flat() as number[]).forEach((p, i) => expectClose(body.outputs[1].data[i], p, `element ${i}`));
  });
});

describe('every V2 datatype through a real session', () => {
  it('lists each Identity model input and output with its V2 datatype and -1 for the dynamic batch axis', async () => {
    for (const [dtype, datatype] of Object.entries(datatypes)) {
      const { status, body } = await getJson(`${server.url}/v2/models/identity-${dtype}`);
      expect(status).toBe(200);
      expect(body).toEqual({
        name: `identity-${dtype}`,
        versions: ['1'],
        platform: 'onnxruntime_onnx',
        inputs: [{ name: 'x', datatype, shape: [-1, 2] }],
        outputs: [{ name: 'y', datatype, shape: [-1, 2] }],
      });
    }
  });

  it('BOOL travels as JSON booleans, BYTES as strings', async () => {
    await expectEcho('bool', [true, false]);
    await expectEcho('string', ['ünïcode ✓', '']);
  });

  it('integers keep their exact values at both ends of each range', async () => {
    await expectEcho('uint8', [0, 255]);
    await expectEcho('uint16', [0, 65535]);
    await expectEcho('uint32', [0, 4294967295]);
    await expectEcho('int8', [-128, 127]);
    await expectEcho('int16', [-32768, 32767]);
    await expectEcho('int32', [-2147483648, 2147483647]);
    await expectEcho('int64', [-9007199254740991, 9007199254740991]);
  });

  it('INT64 and UINT64 beyond ±(2^53-1) travel as decimal strings, never as rounded numbers', async () => {
    await expectEcho('int64', ['-9223372036854775808', '9223372036854775807']);
    await expectEcho('uint64', ['18446744073709551615', 7]);
    // Small values sent as strings come back as plain numbers.
    await expectEcho('int64', ['42', '-1'], [42, -1]);
  });

  it('floats come back as the nearest value of their type: FP64 exact, FP32 and FP16 rounded once', async () => {
    await expectEcho('float64', [0.1, -1e300]);
    await expectEcho('float32', [0.1, 3e38], [Math.fround(0.1), Math.fround(3e38)]);
    await expectEcho('float16', [0.1, 65504], [0.0999755859375, 65504]);
    await expectEcho('float16', [-2, 1e-7], [-2, 2 ** -23]);
  });

  it('rejects integers out of range, fractions, and booleans that are not JSON booleans, naming the element', async () => {
    await expectRejected('uint8', [0, 256], 'data[1] must be an integer from 0 to 255 (UINT8), got 256');
    await expectRejected('int32', [1.5, 0], 'data[0] must be an integer from -2147483648 to 2147483647 (INT32), got 1.5');
    await expectRejected('bool', [1, true], 'data[0] must be true or false (BOOL), got 1');
    await expectRejected('string', ['a', false], 'data[1] must be a string of at most 10000 characters (BYTES), got false');
  });

  it('rejects a JSON number past 2^53 for INT64 (the parser has already rounded it) and names the string form', async () => {
    await expectRejected(
      'int64',
      [1, 2 ** 53],
      'data[1] must be an integer from -9223372036854775808 to 9223372036854775807 (INT64, as a decimal string beyond ±(2^53-1)), got 9007199254740992',
    );
    await expectRejected(
      'uint64',
      ['-1', 0],
      'data[0] must be an integer from 0 to 18446744073709551615 (UINT64, as a decimal string beyond ±(2^53-1)), got "-1"',
    );
  });

  it('rejects floats beyond the range of FP32 and FP16', async () => {
    await expectRejected('float32', [1e39, 0], 'data[0] must be a number within FP32 range, got 1e+39');
    await expectRejected('float16', [0, 65520], 'data[1] must be a number within FP16 range, got 65520');
  });

  it('every datatype travels as binary both ways: the identity answers the very bytes sent, BYTES length-prefixed', async () => {
    const bytes = (write: (view: DataView) => void, length: number) => {
      const view = new DataView(new ArrayBuffer(length));
      write(view);
      return new Uint8Array(view.buffer);
    };
    const two: Record<TensorDtype, Uint8Array> = {
      bool: Uint8Array.of(1, 0),
      uint8: Uint8Array.of(0, 255),
      int8: Uint8Array.of(0x80, 0x7f),
      uint16: bytes((v) => v.setUint16(2, 65535, true), 4),
      int16: bytes((v) => (v.setInt16(0, -32768, true), v.setInt16(2, 32767, true)), 4),
      float16: Uint8Array.of(0x00, 0x3c, 0x00, 0xc0),
      uint32: bytes((v) => v.setUint32(0, 4294967295, true), 8),
      int32: bytes((v) => (v.setInt32(0, -2147483648, true), v.setInt32(4, 7, true)), 8),
      float32: bytes((v) => (v.setFloat32(0, 0.1, true), v.setFloat32(4, NaN, true)), 8),
      uint64: bytes((v) => v.setBigUint64(0, 18446744073709551615n, true), 16),
      int64: bytes((v) => (v.setBigInt64(0, -9223372036854775808n, true), v.setBigInt64(8, 42n, true)), 16),
      float64: bytes((v) => (v.setFloat64(0, -1e300, true), v.setFloat64(8, 0.1, true)), 16),
      string: stringBytes(['ünïcode ✓', '']),
    };
    for (const [dtype, sent] of Object.entries(two) as [TensorDtype, Uint8Array][]) {
      const input = { name: 'x', shape: [1, 2], datatype: datatypes[dtype], parameters: { binary_data_size: sent.length } };
      const answer = await postBinary(`${server.url}/v2/models/identity-${dtype}/infer`, { inputs: [input], parameters: { binary_data_output: true } }, [sent]);
      expect(answer.status, dtype).toBe(200);
      expect(answer.body.outputs, dtype).toEqual([{ name: 'y', datatype: datatypes[dtype], shape: [1, 2], parameters: { binary_data_size: sent.length } }]);
      expect(answer.binary['y'], dtype).toEqual(sent);
    }
  });

  it('refuses a BOOL byte that is neither 0 nor 1', async () => {
    const input = { name: 'x', shape: [1, 2], datatype: 'BOOL', parameters: { binary_data_size: 2 } };
    const answer = await postBinary(`${server.url}/v2/models/identity-bool/infer`, { inputs: [input] }, [Uint8Array.of(1, 2)]);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: 'input "x": raw BOOL data element 1 is byte 2, but a BOOL element is 0 or 1 (shape [1,2])' });
  });

  it('serves a rank-0 tensor: shape [] with one element', async () => {
    const { status, body } = await postJson(`${server.url}/v2/models/scalar/infer`, {
      inputs: [{ name: 'x', shape: [], datatype: 'INT32', data: [7] }],
    });
    expect(status).toBe(200);
    expect(body.outputs).toEqual([{ name: 'y', datatype: 'INT32', shape: [], data: [7] }]);
  });
});

describe('a model with an input that is not a tensor', () => {
  it('lists only its tensors, and answers infer with 501 naming the input', async () => {
    expect((await getJson(`${server.url}/v2/models/sequence-length`)).body).toMatchObject({
      inputs: [],
      outputs: [{ name: 'length', datatype: 'INT64', shape: [] }],
    });
    const input = { name: 's', shape: [1], datatype: 'FP32', data: [1] };
    const { status, body } = await postJson(`${server.url}/v2/models/sequence-length/infer`, { inputs: [input] });
    expect(status).toBe(501);
    expect(body).toEqual({ error: 'input "s" of this model is not a tensor (a sequence or a map): the V2 API cannot feed it' });
  });
});

describe('models whose tensors v1 cannot carry', () => {
  it('are still listed and described over v1, and v1 predict answers 501 pointing to V2', async () => {
    const listed = await getJson(`${server.url}/v1/models`);
    expect(listed.status).toBe(200);
    expect(listed.body.models.map((m: { name: string }) => m.name)).toContain('identity-float16');
    expect((await getJson(`${server.url}/v1/models/identity-float16`)).status).toBe(200);
    expect((await getJson(`${server.url}/openapi.json`)).status).toBe(200);

    const { status, body } = await postJson(`${server.url}/v1/models/identity-float16/predict`, { instances: [[1, 2]] });
    expect(status).toBe(501);
    expect(body.error.code).toBe('unsupported_model');
    expect(body.error.message).toMatch(/^model 'identity-float16' cannot be served over v1 \(.+\); use POST \/v2\/models\/identity-float16\/infer$/);
  });
});

describe('a float16 output, over v1 and V2 alike', () => {
  it('v1 raw mode answers the numbers the float16 output holds, as V2 does', async () => {
    const rows = [
      [0.1, 65504],
      [-2, 1e-7],
    ];
    const v1 = await postJson(`${server.url}/v1/models/half-output/predict`, { instances: rows });
    expect(v1.status).toBe(200);
    expect(v1.body).toEqual({
      model: { name: 'half-output', version: '1' },
      predictions: [{ y: [0.0999755859375, 65504] }, { y: [-2, 2 ** -23] }],
    });
    const v2 = await postJson(`${server.url}/v2/models/half-output/infer`, { id: 'half', inputs: [{ name: 'x', shape: [2, 2], datatype: 'FP32', data: rows }] });
    expect(v2.status).toBe(200);
    expect(v2.body).toEqual({
      model_name: 'half-output',
      model_version: '1',
      id: 'half',
      outputs: [{ name: 'y', datatype: 'FP16', shape: [2, 2], data: [0.0999755859375, 65504, -2, 2 ** -23] }],
    });
  });
});
