// Triton's binary tensor data extension written and read by hand from its spec (no Triton client runs here):
// a request is a JSON header of Inference-Header-Content-Length bytes, then each binary input's bytes in the
// order of the inputs; elements little-endian, BOOL one byte, BYTES each a 4-byte little-endian length and its
// UTF-8 bytes. Deliberately not the server's own codec (feature-spec's tensor-bytes.ts), so a test can catch it.

const utf8 = new TextEncoder();

/** Float32 elements as little-endian bytes (NaN included: binary can carry what JSON cannot). */
export function fp32Bytes(values: readonly (number | null)[]): Uint8Array {
  const view = new DataView(new ArrayBuffer(values.length * 4));
  values.forEach((value, i) => view.setFloat32(i * 4, value ?? NaN, true));
  return new Uint8Array(view.buffer);
}

/** Strings as BYTES elements: each a uint32 little-endian length, then its UTF-8 bytes. */
export function stringBytes(values: readonly string[]): Uint8Array {
  const encoded = values.map((value) => utf8.encode(value));
  const bytes = new Uint8Array(encoded.reduce((total, item) => total + 4 + item.length, 0));
  const view = new DataView(bytes.buffer);
  let offset = 0;
  for (const item of encoded) {
    view.setUint32(offset, item.length, true);
    bytes.set(item, offset + 4);
    offset += 4 + item.length;
  }
  return bytes;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const all = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return all;
}

/** The body Triton's client sends: the JSON header, then the binary inputs' bytes; and the header's length. */
export function binaryBody(header: unknown, binary: readonly Uint8Array[]): { body: Uint8Array; headerLength: number } {
  const json = utf8.encode(JSON.stringify(header));
  return { body: concatBytes([json, ...binary]), headerLength: json.length };
}

// Response bodies are asserted whole in tests, so they are typed loosely here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JsonBody = any;

export interface BinaryAnswer {
  status: number;
  headers: Headers;
  /** The JSON part of the answer: the whole body, or the first Inference-Header-Content-Length bytes. */
  body: JsonBody;
  /** Each output that came as binary, by name: its bytes, cut from after the header by binary_data_size in order. */
  binary: Record<string, Uint8Array>;
}

/** Reads an infer answer as Triton's client does (tritonclient.http InferResult). */
export async function readAnswer(res: Response): Promise<BinaryAnswer> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  const declared = res.headers.get('inference-header-content-length');
  const headerLength = declared === null ? bytes.length : Number(declared);
  const body = JSON.parse(new TextDecoder().decode(bytes.subarray(0, headerLength))) as JsonBody;
  const binary: Record<string, Uint8Array> = {};
  let offset = headerLength;
  for (const output of (body.outputs ?? []) as { name: string; parameters?: { binary_data_size?: number } }[]) {
    const size = output.parameters?.binary_data_size;
    if (size === undefined) continue;
    binary[output.name] = bytes.subarray(offset, offset + size);
    offset += size;
  }
  if (offset !== bytes.length) throw new Error(`the answer holds ${bytes.length - offset} bytes that no binary_data_size accounts for`);
  return { status: res.status, headers: res.headers, body, binary };
}

/** POSTs a binary-extension request as tritonclient does: no Content-Type unless one is given. */
export async function postBinary(
  url: string,
  header: unknown,
  binary: readonly Uint8Array[],
  headers: Record<string, string> = {},
): Promise<BinaryAnswer> {
  const { body, headerLength } = binaryBody(header, binary);
  const res = await fetch(url, { method: 'POST', headers: { 'Inference-Header-Content-Length': String(headerLength), ...headers }, body });
  return readAnswer(res);
}

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export function readFp32(bytes: Uint8Array): number[] {
  return Array.from({ length: bytes.length / 4 }, (_, i) => view(bytes).getFloat32(i * 4, true));
}

export function readInt64(bytes: Uint8Array): number[] {
  return Array.from({ length: bytes.length / 8 }, (_, i) => Number(view(bytes).getBigInt64(i * 8, true)));
}
