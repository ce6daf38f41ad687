// Tensor elements to and from raw bytes, the form the Open Inference Protocol's binary extension (REST) and its gRPC
// `raw_input_contents` / `raw_output_contents` carry: row-major, little-endian, fixed-size elements back to back;
// BOOL one byte each (0 or 1); strings (BYTES) each as a 4-byte little-endian length and then its UTF-8 bytes.
import type { TensorDtype } from './model-spec';
import { tensorArrayTypes, type BatchTensor, type TensorData } from './tensors';

/** Bytes per element of a fixed-size dtype; undefined for strings, whose elements carry their own length. */
export function elementByteSize(dtype: TensorDtype): number | undefined {
  return dtype === 'string' ? undefined : tensorArrayTypes[dtype].BYTES_PER_ELEMENT;
}

// Typed arrays use the host's byte order; the wire's is little-endian. Every platform onnxruntime-node ships for
// (x64, arm64) is little-endian, so a copy is all it takes; a big-endian host would read garbage, so refuse it loudly.
const hostIsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function requireLittleEndianHost(): void {
  if (!hostIsLittleEndian) throw new Error('raw tensor bytes are little-endian, and this host is big-endian: not supported');
}

export interface BytesOptions {
  /** The longest string element, in characters (default: no limit). */
  maxStringLength?: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * `count` elements of the dtype read from raw bytes, or what is wrong with them in words ("holds 12 bytes, but 4
 * FP32 elements need 16"). The bytes are copied: the result never aliases the request's buffer.
 */
export function tensorFromBytes(dtype: TensorDtype, bytes: Uint8Array, count: number, options: BytesOptions = {}): TensorData | string {
  if (dtype === 'string') return stringsFromBytes(bytes, count, options);
  requireLittleEndianHost();
  const ArrayType = tensorArrayTypes[dtype];
  const expected = count * ArrayType.BYTES_PER_ELEMENT;
  if (bytes.length !== expected) {
    return `holds ${bytes.length} bytes, but ${count} elements of ${ArrayType.BYTES_PER_ELEMENT} byte${ArrayType.BYTES_PER_ELEMENT === 1 ? '' : 's'} need ${expected}`;
  }
  const copy = new Uint8Array(expected);
  copy.set(bytes);
  if (dtype === 'bool') {
    const bad = copy.findIndex((byte) => byte > 1);
    if (bad !== -1) return `element ${bad} is byte ${copy[bad]}, but a BOOL element is 0 or 1`;
  }
  return new ArrayType(copy.buffer);
}

function stringsFromBytes(bytes: Uint8Array, count: number, { maxStringLength = Infinity }: BytesOptions): string[] | string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const strings: string[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const index = strings.length;
    if (index === count) return `holds more than the ${count} strings its shape needs (${bytes.length - offset} bytes left over)`;
    if (offset + 4 > bytes.length) return `string ${index} has a cut-off length prefix (${bytes.length - offset} of 4 bytes)`;
    const length = view.getUint32(offset, true);
    offset += 4;
    if (offset + length > bytes.length) return `string ${index} is ${length} bytes long, but only ${bytes.length - offset} are left`;
    let text: string;
    try {
      text = utf8.decode(bytes.subarray(offset, offset + length));
    } catch {
      return `string ${index} is not valid UTF-8`;
    }
    if (text.length > maxStringLength) return `string ${index} is ${text.length} characters long, more than the limit of ${maxStringLength}`;
    strings.push(text);
    offset += length;
  }
  return strings.length === count ? strings : `holds ${strings.length} strings, but its shape needs ${count}`;
}

/** A tensor's elements as raw bytes (a view of its buffer for fixed-size dtypes, no copy). */
export function tensorToBytes({ dtype, data }: Pick<BatchTensor, 'dtype' | 'data'>): Uint8Array {
  if (dtype === 'string' || Array.isArray(data)) return stringsToBytes(data as string[]);
  requireLittleEndianHost();
  // float16 may come as Uint16Array bits or, where the runtime has one, a Float16Array: the same bytes either way.
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

const utf8Encoder = new TextEncoder();

function stringsToBytes(strings: readonly string[]): Uint8Array {
  const encoded = strings.map((text) => utf8Encoder.encode(text));
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
