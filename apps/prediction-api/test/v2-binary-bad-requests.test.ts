// Malformed binary tensor requests (Triton's binary data extension): each a 400 {"error": "..."} that names the
// input or the header at fault; the body and row limits hold for binary bodies too; never a 5xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundledModels, startTestServer, type TestServer } from './test-server';
import { binaryBody, concatBytes, fp32Bytes, postBinary, stringBytes } from './v2-binary';

let server: TestServer;
beforeAll(async () => {
  const registry = await loadBundledModels(['disaster-tweets', 'iris', 'sentiment']);
  server = await startTestServer({ registry, limits: { maxInstances: 5, maxStringLength: 20, maxBodyBytes: 4096 } });
});
afterAll(() => server.close());

const inferUrl = (model: string) => `${server.url}/v2/models/${model}/infer`;
const row = fp32Bytes([5.1, 3.5, 1.4, 0.2]);
const binaryX = (size: number, shape = [1, 4], datatype = 'FP32') => ({ name: 'X', shape, datatype, parameters: { binary_data_size: size } });

async function expect400(model: string, header: unknown, binary: Uint8Array[], message: string, headers: Record<string, string> = {}) {
  const answer = await postBinary(inferUrl(model), header, binary, headers);
  expect(answer.status).toBe(400);
  expect(answer.body).toEqual({ error: message });
}

/** Sends these exact bytes with this Inference-Header-Content-Length value, whatever they hold. */
async function sendRaw(body: Uint8Array, headerLength: string): Promise<{ status: number; body: { error: string } }> {
  const res = await fetch(inferUrl('iris'), { method: 'POST', headers: { 'inference-header-content-length': headerLength }, body });
  return { status: res.status, body: (await res.json()) as { error: string } };
}

describe('400 when the binary data does not add up', () => {
  it('names the sizes when more bytes follow the header than binary_data_size says, or fewer', async () => {
    const more = 'the body holds 20 bytes after the JSON header, but the inputs\' binary_data_size add up to 16 ("X" 16)';
    await expect400('iris', { inputs: [binaryX(16)] }, [row, new Uint8Array(4)], more);
    const fewer = 'the body holds 12 bytes after the JSON header, but the inputs\' binary_data_size add up to 16 ("X" 16)';
    await expect400('iris', { inputs: [binaryX(16)] }, [row.subarray(0, 12)], fewer);
  });

  it('names every binary input and its size, in order, beside JSON ones', async () => {
    const keyword = stringBytes(['flood']);
    const inputs = [
      { name: 'keyword', shape: [1, 1], datatype: 'BYTES', parameters: { binary_data_size: keyword.length } },
      { name: 'location', shape: [1, 1], datatype: 'BYTES', data: ['Mumbai'] },
      { name: 'text', shape: [1, 1], datatype: 'BYTES', parameters: { binary_data_size: 30 } },
    ];
    const message = 'the body holds 9 bytes after the JSON header, but the inputs\' binary_data_size add up to 39 ("keyword" 9, "text" 30)';
    await expect400('disaster-tweets', { inputs }, [keyword], message);
  });

  it('refuses bytes after the header when no input is binary', async () => {
    const input = { name: 'X', shape: [1, 4], datatype: 'FP32', data: [5.1, 3.5, 1.4, 0.2] };
    await expect400('iris', { inputs: [input] }, [new Uint8Array(8)], 'the body holds 8 bytes after the JSON header, but no input gives parameters.binary_data_size');
  });

  it('refuses binary_data_size in a request with no Inference-Header-Content-Length (the whole body is JSON then)', async () => {
    const res = await fetch(inferUrl('iris'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: [binaryX(16)] }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'binary data (parameters.binary_data_size on "X" 16) needs the Inference-Header-Content-Length header to say where the JSON ends',
    });
  });
});

describe('400 for an Inference-Header-Content-Length that cannot be the JSON header', () => {
  it('refuses a length past the end of the body', async () => {
    const { body } = binaryBody({ inputs: [binaryX(16)] }, [row]);
    for (const length of ['500', '123456789012345678901234567890']) {
      expect(await sendRaw(body, length), length).toEqual({
        status: 400,
        body: { error: `Inference-Header-Content-Length is ${length}, but the body holds only ${body.length} bytes` },
      });
    }
  });

  it('refuses a length that is not a non-negative integer', async () => {
    const { body } = binaryBody({ inputs: [binaryX(16)] }, [row]);
    for (const value of ['12a', '-5', '1.5', '0x20', '']) {
      expect(await sendRaw(body, value), value).toEqual({
        status: 400,
        body: { error: `Inference-Header-Content-Length must be a non-negative integer (the byte length of the JSON header), got ${JSON.stringify(value)}` },
      });
    }
  });

  it('refuses a header that is not JSON: cut short, empty, not UTF-8, or with a bare NaN', async () => {
    const { body, headerLength } = binaryBody({ inputs: [binaryX(16)] }, [row]);
    const cut = await sendRaw(body, String(headerLength - 2));
    expect(cut.status).toBe(400);
    expect(cut.body.error).toMatch(/^request body is not valid JSON: the JSON header \(the first \d+ bytes, per Inference-Header-Content-Length\): /);
    expect(await sendRaw(body, '0')).toEqual({
      status: 400,
      body: { error: 'request body is not valid JSON: the JSON header (the first 0 bytes, per Inference-Header-Content-Length) is empty' },
    });
    const latin1 = concatBytes([new TextEncoder().encode('{"id": "'), Uint8Array.of(0xe9), new TextEncoder().encode('", "inputs": []}')]);
    expect(await sendRaw(latin1, String(latin1.length))).toEqual({
      status: 400,
      body: { error: 'request body is not valid JSON: the JSON header (the first 25 bytes, per Inference-Header-Content-Length) is not valid UTF-8' },
    });
    const nan = new TextEncoder().encode('{"inputs": [{"name": "X", "shape": [1], "datatype": "FP32", "data": [NaN]}]}');
    expect(await sendRaw(nan, String(nan.length))).toEqual({
      status: 400,
      body: {
        error:
          'request body is not valid JSON: the JSON header (the first 76 bytes, per Inference-Header-Content-Length): ' +
          'NaN at position 69 is not a JSON value (NaN, Infinity and -Infinity are not); send null for a missing value',
      },
    });
  });
});

describe('400 for binary_data_size that does not fit the input', () => {
  it('names the input whose bytes do not match its datatype and shape', async () => {
    const bytes = fp32Bytes([5.1, 3.5, 1.4, 0.2, 6.3, 3.3, 6]);
    await expect400('iris', { inputs: [binaryX(28, [2, 4])] }, [bytes], 'input "X": raw FP32 data holds 28 bytes, but 8 elements of 4 bytes need 32 (shape [2,4])');
    const fp64 = new Uint8Array(32);
    await expect400('iris', { inputs: [binaryX(32, [1, 4], 'FP64')] }, [fp64], 'input "X": datatype FP64 does not match the model\'s FP32');
  });

  it('names the BYTES input whose strings do not fit: too few, a cut-off length, not UTF-8, too long', async () => {
    const review = (bytes: Uint8Array, rows = 2) => ({
      inputs: [{ name: 'review_text', shape: [rows, 1], datatype: 'BYTES', parameters: { binary_data_size: bytes.length } }],
    });
    const one = stringBytes(['fine']);
    await expect400('sentiment', review(one), [one], 'input "review_text": raw BYTES data holds 1 strings, but its shape needs 2 (shape [2,1])');
    const cut = concatBytes([one, Uint8Array.of(3, 0)]);
    await expect400('sentiment', review(cut), [cut], 'input "review_text": raw BYTES data string 1 has a cut-off length prefix (2 of 4 bytes) (shape [2,1])');
    const notUtf8 = concatBytes([one, Uint8Array.of(1, 0, 0, 0, 0xff)]);
    await expect400('sentiment', review(notUtf8), [notUtf8], 'input "review_text": raw BYTES data string 1 is not valid UTF-8 (shape [2,1])');
    const long = stringBytes(['x'.repeat(21)]);
    await expect400(
      'sentiment',
      review(long, 1),
      [long],
      'input "review_text": raw BYTES data string 0 is 21 characters long, more than the limit of 20 (shape [1,1])',
    );
  });

  it('refuses an input that gives both data and binary_data_size, and a size that is not a byte count', async () => {
    const both = { ...binaryX(16), data: [5.1, 3.5, 1.4, 0.2] };
    await expect400('iris', { inputs: [both] }, [row], 'input "X": gives both "data" and parameters.binary_data_size; send its elements one way');
    for (const size of [-1, 1.5, '16', null]) {
      await expect400(
        'iris',
        { inputs: [binaryX(size as number)] },
        [row],
        `input "X": parameters.binary_data_size must be a non-negative integer (the byte length of its binary data), got ${JSON.stringify(size)}`,
      );
    }
  });

  it('refuses binary_data and binary_data_output that are not booleans, naming the output', async () => {
    const header = { inputs: [binaryX(16)], parameters: { binary_data_output: 'yes' }, outputs: [{ name: 'output_label', parameters: { binary_data: 1 } }] };
    await expect400(
      'iris',
      header,
      [row],
      'parameters.binary_data_output must be true or false, got "yes"; output "output_label": parameters.binary_data must be true or false, got 1',
    );
  });
});

describe('the limits hold for binary bodies', () => {
  it('MAX_INSTANCES: more rows than the limit is a 400 naming the input', async () => {
    const rows = fp32Bytes(Array.from({ length: 24 }, () => 1));
    await expect400('iris', { inputs: [binaryX(96, [6, 4])] }, [rows], 'input "X": holds 6 rows (axis 0), more than the limit of 5');
  });

  it('MAX_BODY_BYTES: a body over the limit is a 413 in the V2 shape, with a Content-Length or streamed in chunks', async () => {
    const { body, headerLength } = binaryBody({ inputs: [binaryX(4800, [300, 4])] }, [new Uint8Array(4800)]);
    const error = { error: 'request body exceeds MAX_BODY_BYTES (4096 bytes); send the instances in smaller batches' };
    const sized = await fetch(inferUrl('iris'), { method: 'POST', headers: { 'inference-header-content-length': String(headerLength) }, body });
    expect(sized.status).toBe(413);
    expect(await sized.json()).toEqual(error);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(body.subarray(0, 2000));
        controller.enqueue(body.subarray(2000));
        controller.close();
      },
    });
    const chunked = await fetch(inferUrl('iris'), {
      method: 'POST',
      headers: { 'inference-header-content-length': String(headerLength) },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await chunked.json()).toEqual(error);
  });

  it('never answers a malformed binary body with a 5xx', async () => {
    const { body } = binaryBody({ inputs: [binaryX(16)], outputs: [{ name: 'output_label', parameters: { binary_data: true } }] }, [row]);
    const bodies = [new Uint8Array(0), Uint8Array.of(0, 1, 2, 3), body.subarray(0, 20), body, concatBytes([body, body])];
    for (const [i, candidate] of bodies.entries()) {
      for (const length of [0, 1, 7, 20, Math.floor(candidate.length / 2), candidate.length]) {
        if (candidate === body && length === body.length - 16) continue;
        const res = await sendRaw(candidate, String(length));
        expect(res.status, `body ${i}, header length ${length}`).toBe(400);
        expect(Object.keys(res.body)).toEqual(['error']);
      }
    }
  });
});
