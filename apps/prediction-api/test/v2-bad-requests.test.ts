// Requests that do not fit the model: each a 400 {"error": "..."} naming the input or output and what is wrong,
// all problems of a request at once; never a 5xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundledModels, postJson, startTestServer, type TestServer } from './test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ registry: await loadBundledModels(), limits: { maxInstances: 5, maxStringLength: 20 } });
});
afterAll(() => server.close());

const row = [5.1, 3.5, 1.4, 0.2];
const irisInput = (overrides: Record<string, unknown> = {}) => ({ name: 'X', shape: [1, 4], datatype: 'FP32', data: row, ...overrides });
const tweetInput = (name: string, texts: string[]) => ({ name, shape: [texts.length, 1], datatype: 'BYTES', data: texts });

async function expect400(model: string, body: unknown, message: string) {
  const res = await postJson(`${server.url}/v2/models/${model}/infer`, body);
  expect(res.status).toBe(400);
  expect(res.body).toEqual({ error: message });
}

describe('400 for inputs that are not the model’s', () => {
  it('rejects an unknown input, naming it and the inputs there are', async () => {
    await expect400('iris', { inputs: [irisInput(), irisInput({ name: 'Y' })] }, `unknown input "Y"; the model's inputs are: X`);
  });

  it('rejects a missing input, naming it', async () => {
    const inputs = [tweetInput('keyword', ['flood']), tweetInput('location', ['Mumbai'])];
    await expect400('disaster-tweets', { inputs }, `missing input "text"; the model's inputs are: keyword, location, text`);
  });

  it('rejects an input given twice', async () => {
    await expect400('iris', { inputs: [irisInput(), irisInput()] }, 'input "X" is given more than once');
  });
});

describe('400 for a wrong datatype, naming the input and both types', () => {
  it('rejects another V2 datatype than the model’s', async () => {
    await expect400('iris', { inputs: [irisInput({ datatype: 'FP64' })] }, `input "X": datatype FP64 does not match the model's FP32`);
  });

  it('rejects a name that is no V2 datatype at all', async () => {
    const body = { inputs: [irisInput({ datatype: 'FLOAT32' })] };
    await expect400('iris', body, `input "X": datatype "FLOAT32" (not a V2 datatype) does not match the model's FP32`);
  });
});

describe('400 for a shape that does not fit the model or its data', () => {
  it('rejects a fixed axis of another size', async () => {
    const body = { inputs: [irisInput({ shape: [1, 5], data: [...row, 1] })] };
    await expect400('iris', body, `input "X": shape [1,5] does not fit the model's [-1,4]: axis 1 must be 4`);
  });

  it('rejects another rank (a row without its batch axis)', async () => {
    await expect400('iris', { inputs: [irisInput({ shape: [4] })] }, `input "X": shape [4] does not fit the model's [-1,4]: its rank is 1, the model's is 2`);
  });

  it('rejects an empty dynamic axis', async () => {
    const body = { inputs: [irisInput({ shape: [0, 4], data: [] })] };
    await expect400('iris', body, `input "X": shape [0,4] does not fit the model's [-1,4]: axis 0 is dynamic but must be at least 1`);
  });

  it('rejects flat data of another length than the shape holds', async () => {
    const body = { inputs: [irisInput({ shape: [2, 4], data: [...row, 1, 2, 3] })] };
    await expect400('iris', body, 'input "X": data holds 7 elements, but shape [2,4] needs 8');
  });

  it('rejects ragged nested data', async () => {
    const body = { inputs: [irisInput({ shape: [2, 4], data: [row, [1, 2, 3]] })] };
    await expect400('iris', body, 'input "X": data[1] holds 3 entries, but axis 1 of shape [2,4] is 4');
  });

  it('rejects inputs that disagree on the batch size', async () => {
    const inputs = [tweetInput('keyword', ['a', 'b']), tweetInput('location', ['c', 'd']), tweetInput('text', ['e'])];
    await expect400('disaster-tweets', { inputs }, 'inputs disagree on the batch size (axis 0): "keyword" has 2, "location" has 2, "text" has 1');
  });

  it('rejects more rows than the instance limit', async () => {
    const body = { inputs: [irisInput({ shape: [6, 4], data: Array.from({ length: 6 }, () => row) })] };
    await expect400('iris', body, 'input "X": holds 6 rows (axis 0), more than the limit of 5');
  });
});

describe('400 for elements of the wrong JSON type', () => {
  it('rejects a numeric string in FP32 data, naming where it is', async () => {
    await expect400('iris', { inputs: [irisInput({ data: [5.1, 3.5, '1.4', 0.2] })] }, 'input "X": data[2] must be a number within FP32 range, got "1.4"');
    await expect400('iris', { inputs: [irisInput({ data: [[5.1, null, 1.4, 0.2]] })] }, 'input "X": data[0][1] must be a number within FP32 range, got null');
  });

  it('rejects a number in BYTES data, and a string over the length limit', async () => {
    const body = { inputs: [{ name: 'review_text', shape: [2, 1], datatype: 'BYTES', data: ['fine', 42] }] };
    await expect400('sentiment', body, 'input "review_text": data[1] must be a string of at most 20 characters (BYTES), got 42');
    const long = { inputs: [{ name: 'review_text', shape: [1, 1], datatype: 'BYTES', data: ['x'.repeat(21)] }] };
    await expect400('sentiment', long, `input "review_text": data[0] must be a string of at most 20 characters (BYTES), got "${'x'.repeat(21)}"`);
  });
});

describe('400 for outputs the model does not return', () => {
  it('rejects an unknown requested output, naming it and the outputs there are', async () => {
    const body = { inputs: [irisInput()], outputs: [{ name: 'proba' }] };
    await expect400('iris', body, `unknown output "proba"; the model's outputs are: output_label, output_probability`);
  });

  it('rejects an output requested twice', async () => {
    const body = { inputs: [irisInput()], outputs: [{ name: 'output_label' }, { name: 'output_label' }] };
    await expect400('iris', body, 'output "output_label" is requested more than once');
  });
});

describe('400 for a request that is not a V2 inference request', () => {
  it('names each field that is missing or of the wrong type, by input name where it has one', async () => {
    await expect400('iris', [], 'the request body must be a JSON object with "inputs"');
    await expect400('iris', {}, 'inputs must be an array of input tensors');
    await expect400('iris', { inputs: [] }, 'inputs must hold at least one input tensor');
    await expect400('iris', { id: 7, inputs: [irisInput()] }, 'id must be a string');
    await expect400('iris', { inputs: [irisInput({ data: 'all' })] }, 'input "X": data must be an array, flat row-major or nested like the shape');
    await expect400(
      'iris',
      { inputs: [irisInput({ data: undefined })] },
      'input "X": has no data: give "data", or parameters.binary_data_size and its bytes after the JSON header',
    );
    await expect400('iris', { inputs: [irisInput({ shape: [1.5, 4] })] }, 'input "X": shape[0] must be a non-negative integer');
    await expect400('iris', { inputs: [{ shape: [1, 4], datatype: 'FP32', data: row }] }, 'inputs[0].name must be a string');
  });

  it('tells every problem of a request at once', async () => {
    const body = { inputs: [irisInput({ datatype: 'INT64' }), irisInput({ name: 'Z' })], outputs: [{ name: 'nope' }] };
    await expect400(
      'iris',
      body,
      `unknown input "Z"; the model's inputs are: X; input "X": datatype INT64 does not match the model's FP32; ` +
        `unknown output "nope"; the model's outputs are: output_label, output_probability`,
    );
  });

  it('rejects a body that is not JSON, or empty', async () => {
    const broken = await postJson(`${server.url}/v2/models/iris/infer`, '{"inputs": [');
    expect(broken.status).toBe(400);
    expect(broken.body.error).toMatch(/^request body is not valid JSON: /);
    await expect400('iris', '', 'request body is not valid JSON: the body is empty');
    await expect400(
      'iris',
      '{"inputs": [{"name": "X", "shape": [1, 4], "datatype": "FP32", "data": [5.1, NaN, 1.4, 0.2]}]}',
      'request body is not valid JSON: NaN at position 77 is not a JSON value (NaN, Infinity and -Infinity are not); send null for a missing value',
    );
  });

  it('never answers a malformed request with a 5xx', async () => {
    const bodies: unknown[] = [
      null,
      42,
      'text',
      { inputs: {} },
      { inputs: [null] },
      { inputs: [[]] },
      { inputs: [irisInput({ shape: null })] },
      { inputs: [irisInput({ shape: [1e12, 4] })] },
      { inputs: [irisInput({ data: [[[5.1, 3.5, 1.4, 0.2]]] })] },
      { inputs: [irisInput({ data: [{}, 1, 2, 3] })] },
      { inputs: [irisInput()], outputs: 'all' },
      { inputs: [irisInput()], outputs: [{}] },
      { inputs: [irisInput()], parameters: [] },
    ];
    for (const body of bodies) {
      const res = await postJson(`${server.url}/v2/models/iris/infer`, JSON.stringify(body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(res.body), JSON.stringify(body)).toEqual(['error']);
    }
  });
});
