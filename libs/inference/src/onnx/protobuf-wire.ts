// A minimal protobuf wire-format reader and writer. The ONNX patcher edits a handful of fields and copies every
// other field byte for byte, so nothing in a model that this code does not understand can be lost.

export const WireType = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

/** One field of a message as it stands on the wire. */
export interface WireField {
  field: number;
  wireType: number;
  /** The whole field, tag included: what a rewrite copies when it leaves the field alone. */
  raw: Uint8Array;
  /** The value: the varint's bytes, the fixed bytes, or the content of a length-delimited field. */
  payload: Uint8Array;
}

export class WireFormatError extends Error {
  override name = 'WireFormatError';
}

interface Cursor {
  bytes: Uint8Array;
  pos: number;
}

function readVarintAt(cursor: Cursor): bigint {
  let value = 0n;
  for (let shift = 0n; shift < 70n; shift += 7n) {
    const byte = cursor.bytes[cursor.pos];
    if (byte === undefined) throw new WireFormatError(`truncated varint at byte ${cursor.pos}`);
    cursor.pos++;
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return value;
  }
  throw new WireFormatError(`varint longer than 10 bytes at byte ${cursor.pos}`);
}

/**
 * A tag or a length as a number: exact up to 2^53, far past any tag or any length a Uint8Array can hold. BigInt
 * arithmetic here made reading a 400 KB forest take 100-400 ms at start (readFields meets every tag and length).
 */
function readSizeAt(cursor: Cursor): number {
  const { bytes } = cursor;
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    const byte = bytes[cursor.pos];
    if (byte === undefined) throw new WireFormatError(`truncated varint at byte ${cursor.pos}`);
    cursor.pos++;
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return value;
    scale *= 128;
  }
  throw new WireFormatError(`varint longer than 10 bytes at byte ${cursor.pos}`);
}

/**
 * Splits a message into its fields, in wire order; throws WireFormatError on truncated or malformed input.
 * With `only`, the other fields are checked and stepped over but not returned: a tree ensemble's attributes hold
 * tens of thousands of unpacked numbers, one field each, which nothing here reads.
 */
export function readFields(bytes: Uint8Array, only?: ReadonlySet<number>): WireField[] {
  const fields: WireField[] = [];
  const cursor: Cursor = { bytes, pos: 0 };
  while (cursor.pos < bytes.length) {
    const start = cursor.pos;
    const tag = readSizeAt(cursor);
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (field === 0) throw new WireFormatError(`field number 0 at byte ${start}`);
    let payloadStart = cursor.pos;
    let payloadEnd: number;
    if (wireType === WireType.varint) {
      readSizeAt(cursor);
      payloadEnd = cursor.pos;
    } else if (wireType === WireType.fixed64 || wireType === WireType.fixed32) {
      payloadEnd = cursor.pos + (wireType === WireType.fixed64 ? 8 : 4);
    } else if (wireType === WireType.bytes) {
      const length = readSizeAt(cursor);
      payloadStart = cursor.pos;
      payloadEnd = payloadStart + length;
    } else {
      throw new WireFormatError(`unsupported wire type ${wireType} at byte ${start}`);
    }
    if (payloadEnd > bytes.length) {
      throw new WireFormatError(`field ${field} at byte ${start} runs past the end (${bytes.length} bytes)`);
    }
    cursor.pos = payloadEnd;
    if (only && !only.has(field)) continue;
    fields.push({
      field,
      wireType,
      raw: bytes.subarray(start, payloadEnd),
      payload: bytes.subarray(payloadStart, payloadEnd),
    });
  }
  return fields;
}

/** The value of a varint field, as a signed 64-bit integer (how protobuf stores int64 and int32). */
export function varintOf(field: WireField): bigint {
  return BigInt.asIntN(64, readVarintAt({ bytes: field.payload, pos: 0 }));
}

/** The values of a repeated int64 field: packed (one length-delimited field) or not (one varint per field). */
export function int64sOf(fields: WireField[]): bigint[] {
  return fields.flatMap((f) => {
    if (f.wireType === WireType.varint) return [varintOf(f)];
    const values: bigint[] = [];
    const cursor: Cursor = { bytes: f.payload, pos: 0 };
    while (cursor.pos < f.payload.length) values.push(BigInt.asIntN(64, readVarintAt(cursor)));
    return values;
  });
}

const utf8Decoder = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

export function stringOf(field: WireField): string {
  return utf8Decoder.decode(field.payload);
}

export function encodeVarint(value: number | bigint): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v === 0n ? low : low | 0x80);
  } while (v !== 0n);
  return Uint8Array.from(out);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function varintField(field: number, value: number | bigint): Uint8Array {
  return concatBytes([encodeVarint((field << 3) | WireType.varint), encodeVarint(value)]);
}

export function bytesField(field: number, payload: Uint8Array): Uint8Array {
  return concatBytes([encodeVarint((field << 3) | WireType.bytes), encodeVarint(payload.length), payload]);
}

export function stringField(field: number, value: string): Uint8Array {
  return bytesField(field, utf8Encoder.encode(value));
}
