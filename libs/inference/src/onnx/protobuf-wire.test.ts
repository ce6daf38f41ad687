import { describe, expect, it } from 'vitest';
import {
  WireFormatError,
  bytesField,
  concatBytes,
  encodeVarint,
  int64sOf,
  readFields,
  stringField,
  stringOf,
  varintField,
  varintOf,
} from './protobuf-wire';

describe('protobuf wire format', () => {
  it('encodes varints as protobuf does, negative int64 in ten bytes', () => {
    expect([...encodeVarint(0)]).toEqual([0]);
    expect([...encodeVarint(300)]).toEqual([0xac, 0x02]);
    expect([...encodeVarint(-1)]).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  });

  it('reads back the fields it writes, each with its raw bytes', () => {
    const message = concatBytes([varintField(1, -5), stringField(2, 'zipmap ✓'), bytesField(3, new Uint8Array([1, 2]))]);
    const fields = readFields(message);
    expect(fields.map((f) => [f.field, f.wireType])).toEqual([
      [1, 0],
      [2, 2],
      [3, 2],
    ]);
    const [first, second] = fields;
    expect(first && varintOf(first)).toBe(-5n);
    expect(second && stringOf(second)).toBe('zipmap ✓');
    expect(concatBytes(fields.map((f) => f.raw))).toEqual(message);
  });

  it('reads repeated int64 values packed and unpacked alike', () => {
    const packed = bytesField(8, concatBytes([encodeVarint(0), encodeVarint(7), encodeVarint(-2)]));
    const unpacked = concatBytes([varintField(8, 0), varintField(8, 7), varintField(8, -2)]);
    expect(int64sOf(readFields(packed))).toEqual([0n, 7n, -2n]);
    expect(int64sOf(readFields(unpacked))).toEqual([0n, 7n, -2n]);
  });

  it('reads five-byte tags and varint values up to 64 bits', () => {
    const bigField = 2 ** 28 - 1; // the tag, 2^31 - 8, takes five bytes
    const message = concatBytes([varintField(bigField, 2n ** 63n - 1n), varintField(1, -(2n ** 63n))]);
    const [first, second] = readFields(message);
    expect([first?.field, first && varintOf(first), second?.field, second && varintOf(second)]).toEqual([
      bigField,
      2n ** 63n - 1n,
      1,
      -(2n ** 63n),
    ]);
  });

  it('returns only the fields asked for, and still checks the ones it steps over', () => {
    const message = concatBytes([varintField(7, 1), stringField(1, 'name'), varintField(8, 300), stringField(1, 'again')]);
    expect(readFields(message, new Set([1])).map((f) => [f.field, stringOf(f)])).toEqual([
      [1, 'name'],
      [1, 'again'],
    ]);
    const truncated = concatBytes([stringField(1, 'name'), stringField(7, 'cut')]).subarray(0, -1);
    expect(() => readFields(truncated, new Set([1]))).toThrow('field 7 at byte 6 runs past the end (10 bytes)');
  });

  it('rejects a length-delimited field that runs past the end', () => {
    const field = stringField(7, 'graph');
    expect(() => readFields(field.subarray(0, field.length - 1))).toThrow(WireFormatError);
  });

  it('rejects a truncated varint', () => {
    expect(() => readFields(new Uint8Array([0x08, 0x80]))).toThrow('truncated varint at byte 2');
  });

  it('rejects the deprecated group wire types', () => {
    expect(() => readFields(new Uint8Array([0x0b]))).toThrow('unsupported wire type 3 at byte 0');
  });
});
