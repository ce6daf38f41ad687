// The V2 bad-request matrix (v2-bad-requests.test.ts) over gRPC: every request that does not fit the model is
// INVALID_ARGUMENT with the same message as REST's 400, naming the input or output, all problems at once; what only
// gRPC can get wrong (a contents field that is not the datatype's, raw_input_contents that do not pair with the
// inputs, BYTES that are not UTF-8) is told the same way; unknown models and versions are NOT_FOUND, a message over
// MAX_BODY_BYTES RESOURCE_EXHAUSTED, a server still loading UNAVAILABLE. Never INTERNAL or UNKNOWN.
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grpcClient, rawStrings, type GrpcTestClient } from './grpc-client';
import { loadBundledModels, startTestServer, type TestServer } from './test-server';

let server: TestServer;
let client: GrpcTestClient;
beforeAll(async () => {
  server = await startTestServer({ registry: await loadBundledModels(), limits: { maxInstances: 5, maxStringLength: 20, maxBodyBytes: 64 * 1024 }, grpc: true });
  client = grpcClient(server.grpcPort);
});
afterAll(async () => {
  client.close();
  await server.close();
});

const row = [5.1, 3.5, 1.4, 0.2];
const irisInput = (overrides: Record<string, unknown> = {}) => ({ name: 'X', shape: [1, 4], datatype: 'FP32', contents: { fp32_contents: row }, ...overrides });
const texts = (values: string[]) => ({ bytes_contents: values.map((text) => Buffer.from(text)) });
const tweetInput = (name: string, values: string[]) => ({ name, shape: [values.length, 1], datatype: 'BYTES', contents: texts(values) });

async function expectStatus(request: Record<string, unknown>, code: status, details: string, model = 'iris') {
  const refused = await client.call('ModelInfer', { model_name: model, ...request }).then(
    () => undefined,
    (err: { code: number; details: string }) => err,
  );
  expect(refused, `${model}: ${JSON.stringify(request).slice(0, 120)}`).toBeDefined();
  expect([status[refused!.code], refused!.details]).toEqual([status[code], details]);
}

const expectInvalid = (request: Record<string, unknown>, details: string, model?: string) => expectStatus(request, status.INVALID_ARGUMENT, details, model);

describe('INVALID_ARGUMENT for inputs that are not the model’s', () => {
  it('an unknown input, a missing one, one given twice', async () => {
    await expectInvalid({ inputs: [irisInput(), irisInput({ name: 'Y' })] }, `unknown input "Y"; the model's inputs are: X`);
    const inputs = [tweetInput('keyword', ['flood']), tweetInput('location', ['Mumbai'])];
    await expectInvalid({ inputs }, `missing input "text"; the model's inputs are: keyword, location, text`, 'disaster-tweets');
    await expectInvalid({ inputs: [irisInput(), irisInput()] }, 'input "X" is given more than once');
  });

  it('a datatype other than the model’s, or no V2 datatype at all', async () => {
    await expectInvalid({ inputs: [irisInput({ datatype: 'FP64', contents: { fp64_contents: row } })] }, `input "X": datatype FP64 does not match the model's FP32`);
    await expectInvalid({ inputs: [irisInput({ datatype: 'FLOAT32' })] }, `input "X": datatype "FLOAT32" (not a V2 datatype) does not match the model's FP32`);
  });
});

describe('INVALID_ARGUMENT for a shape that does not fit the model or its contents', () => {
  it('a fixed axis of another size, another rank, an empty dynamic axis, a negative dim', async () => {
    await expectInvalid({ inputs: [irisInput({ shape: [1, 5], contents: { fp32_contents: [...row, 1] } })] }, `input "X": shape [1,5] does not fit the model's [-1,4]: axis 1 must be 4`);
    await expectInvalid({ inputs: [irisInput({ shape: [4] })] }, `input "X": shape [4] does not fit the model's [-1,4]: its rank is 1, the model's is 2`);
    await expectInvalid({ inputs: [irisInput({ shape: [0, 4], contents: null })] }, `input "X": shape [0,4] does not fit the model's [-1,4]: axis 0 is dynamic but must be at least 1`);
    await expectInvalid({ inputs: [irisInput({ shape: [-1, 4] })] }, 'input "X": shape[0] must be a non-negative integer, got -1');
  });

  it('typed contents of another length than the shape holds, and raw bytes of another size', async () => {
    await expectInvalid({ inputs: [irisInput({ shape: [2, 4], contents: { fp32_contents: [...row, 1, 2, 3] } })] }, 'input "X": data holds 7 elements, but shape [2,4] needs 8');
    const raw = { inputs: [irisInput({ shape: [2, 4], contents: null })], raw_input_contents: [Buffer.alloc(28)] };
    await expectInvalid(raw, 'input "X": raw FP32 data holds 28 bytes, but 8 elements of 4 bytes need 32 (shape [2,4])');
  });

  it('inputs that disagree on the batch size, and more rows than the instance limit', async () => {
    const inputs = [tweetInput('keyword', ['a', 'b']), tweetInput('location', ['c', 'd']), tweetInput('text', ['e'])];
    await expectInvalid({ inputs }, 'inputs disagree on the batch size (axis 0): "keyword" has 2, "location" has 2, "text" has 1', 'disaster-tweets');
    const six = { inputs: [irisInput({ shape: [6, 4], contents: { fp32_contents: Array.from({ length: 6 }, () => row).flat() } })] };
    await expectInvalid(six, 'input "X": holds 6 rows (axis 0), more than the limit of 5');
  });
});

describe('INVALID_ARGUMENT for contents that are not the datatype’s', () => {
  it('elements in another field than the datatype’s, naming both', async () => {
    await expectInvalid({ inputs: [irisInput({ contents: { fp64_contents: row } })] }, 'input "X": FP32 elements go in contents.fp32_contents, not contents.fp64_contents');
    const both = { inputs: [irisInput({ contents: { fp32_contents: row, int_contents: [1] } })] };
    await expectInvalid(both, 'input "X": FP32 elements go in contents.fp32_contents, not contents.int_contents');
  });

  it('a BYTES element over the length limit, or not UTF-8', async () => {
    const long = { inputs: [{ name: 'review_text', shape: [1, 1], datatype: 'BYTES', contents: texts(['x'.repeat(21)]) }] };
    await expectInvalid(long, `input "review_text": data[0] must be a string of at most 20 characters (BYTES), got "${'x'.repeat(21)}"`, 'sentiment');
    const latin1 = { inputs: [{ name: 'review_text', shape: [2, 1], datatype: 'BYTES', contents: { bytes_contents: [Buffer.from('fine'), Buffer.from([0x63, 0x61, 0x66, 0xe9])] } }] };
    await expectInvalid(latin1, 'input "review_text": contents.bytes_contents[1] is not valid UTF-8', 'sentiment');
    const rawLatin1 = { inputs: [{ name: 'review_text', shape: [1, 1], datatype: 'BYTES' }], raw_input_contents: [Buffer.from([4, 0, 0, 0, 0x63, 0x61, 0x66, 0xe9])] };
    await expectInvalid(rawLatin1, 'input "review_text": raw BYTES data string 0 is not valid UTF-8 (shape [1,1])', 'sentiment');
  });

  it('an input with no elements at all', async () => {
    await expectInvalid({ inputs: [irisInput({ contents: null })] }, 'input "X": has no data');
  });
});

describe('INVALID_ARGUMENT for raw_input_contents that do not pair with the inputs', () => {
  const bytes = Buffer.from(Float32Array.from(row).buffer);

  it('one entry per input, no more and no fewer', async () => {
    const request = { inputs: [irisInput({ contents: null }), irisInput({ name: 'Y', contents: null })], raw_input_contents: [bytes] };
    await expectInvalid(request, 'raw_input_contents holds 1 entries, but the request has 2 inputs: send one per input, in the order of inputs');
  });

  it('contents and raw_input_contents for the same input', async () => {
    await expectInvalid({ inputs: [irisInput()], raw_input_contents: [bytes] }, 'input "X": gives its elements both as data and as raw bytes; send one');
  });

  it('BYTES with a cut-off length prefix', async () => {
    const request = { inputs: [{ name: 'review_text', shape: [1, 1], datatype: 'BYTES' }], raw_input_contents: [rawStrings(['fine']).subarray(0, 6)] };
    await expectInvalid(request, 'input "review_text": raw BYTES data string 0 is 4 bytes long, but only 2 are left (shape [1,1])', 'sentiment');
  });
});

describe('INVALID_ARGUMENT for outputs the model does not return, and every problem at once', () => {
  it('an unknown output, one requested twice', async () => {
    await expectInvalid({ inputs: [irisInput()], outputs: [{ name: 'proba' }] }, `unknown output "proba"; the model's outputs are: output_label, output_probability`);
    await expectInvalid({ inputs: [irisInput()], outputs: [{ name: 'output_label' }, { name: 'output_label' }] }, 'output "output_label" is requested more than once');
  });

  it('tells every problem of a request at once', async () => {
    const request = { inputs: [irisInput({ datatype: 'INT64', contents: { int64_contents: ['1', '2', '3', '4'] } }), irisInput({ name: 'Z' })], outputs: [{ name: 'nope' }] };
    await expectInvalid(
      request,
      `unknown input "Z"; the model's inputs are: X; input "X": datatype INT64 does not match the model's FP32; ` +
        `unknown output "nope"; the model's outputs are: output_label, output_probability`,
    );
  });
});

describe('other statuses', () => {
  it('NOT_FOUND for a model or a version that is not served', async () => {
    await expectStatus({ inputs: [irisInput()] }, status.NOT_FOUND, `model 'nope' is not served; available: cars-lgbm, diabetes, disaster-tweets, iris, loans-mixed, sentiment`, 'nope');
    await expectStatus({ model_version: '7', inputs: [irisInput()] }, status.NOT_FOUND, `model 'iris' version '7' is not served; available: cars-lgbm, diabetes, disaster-tweets, iris, loans-mixed, sentiment`);
    const metadata = await client.call('ModelMetadata', { name: 'nope' }).catch((err: { code: number }) => err.code);
    expect(metadata).toBe(status.NOT_FOUND);
  });

  it('RESOURCE_EXHAUSTED for a message over MAX_BODY_BYTES, before it is read', async () => {
    const request = { inputs: [{ name: 'X', shape: [5000, 4], datatype: 'FP32' }], raw_input_contents: [Buffer.alloc(80_000)] };
    const refused = await client.call('ModelInfer', { model_name: 'iris', ...request }).catch((err: { code: number; details: string }) => err);
    expect(refused.code).toBe(status.RESOURCE_EXHAUSTED);
    // grpc-js's own words: it refuses the message before any handler (or interceptor) sees it; 65536 is MAX_BODY_BYTES.
    expect(refused.details).toBe('Received message larger than max (80026 vs 65536)');
  });

  it('never answers a malformed request with INTERNAL or UNKNOWN', async () => {
    const requests: Record<string, unknown>[] = [
      { inputs: [] },
      { inputs: [{}] },
      { inputs: [irisInput({ shape: [] })] },
      { inputs: [irisInput({ shape: [1e12, 4] })] },
      { inputs: [irisInput({ shape: ['9223372036854775807', 4] })] },
      { inputs: [irisInput({ datatype: 'FP16' })] },
      { inputs: [irisInput()], outputs: [{}] },
      { inputs: [irisInput()], raw_input_contents: [Buffer.alloc(0)] },
    ];
    for (const request of requests) {
      const code = await client.call('ModelInfer', { model_name: 'iris', ...request }).then(() => status.OK, (err: { code: number }) => err.code);
      expect(status[code], JSON.stringify(request)).toBe('INVALID_ARGUMENT');
    }
  });
});

describe('while the models load', () => {
  it('ServerReady and ModelReady say not ready; metadata and inference are UNAVAILABLE; ServerLive is live', async () => {
    const loading = await startTestServer({ grpc: true });
    const early = grpcClient(loading.grpcPort);
    try {
      expect(await early.call('ServerLive', {})).toEqual({ live: true });
      expect(await early.call('ServerReady', {})).toEqual({ ready: false });
      expect(await early.call('ModelReady', { name: 'iris' })).toEqual({ ready: false });
      const infer = await early.call('ModelInfer', { model_name: 'iris', inputs: [irisInput()] }).catch((err: { code: number; details: string }) => err);
      expect([status[infer.code], infer.details]).toEqual(['UNAVAILABLE', 'models are still loading; retry shortly']);
      expect(await early.call('Check', { service: '' }, {}, 'health')).toEqual({ status: 'NOT_SERVING' });
      loading.catalog.use(await loadBundledModels(['iris']));
      expect(await early.call('ServerReady', {})).toEqual({ ready: true });
      expect(await early.call('ModelReady', { name: 'iris', version: '1' })).toEqual({ ready: true });
      expect(await early.call('Check', { service: 'inference.GRPCInferenceService' }, {}, 'health')).toEqual({ status: 'SERVING' });
    } finally {
      early.close();
      await loading.close();
    }
  });
});
