import { describe, expect, it } from 'vitest';
import type { TensorDtype } from './model-spec';
import { elementByteSize, tensorFromBytes, tensorToBytes } from './tensor-bytes';

/** Little-endian bytes written by hand (DataView), the oracle for the codec's typed-array copies. */
function littleEndian(write: (view: DataView) => void, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  write(new DataView(bytes.buffer));
  return bytes;
}

describe('tensorFromBytes and tensorToBytes', () => {
  const fixed: { dtype: TensorDtype; bytes: Uint8Array; elements: unknown[] }[] = [
    { dtype: 'float32', bytes: littleEndian((v) => (v.setFloat32(0, 1.5, true), v.setFloat32(4, -2, true)), 8), elements: [1.5, -2] },
    { dtype: 'float64', bytes: littleEndian((v) => v.setFloat64(0, 0.1, true), 8), elements: [0.1] },
    { dtype: 'int64', bytes: littleEndian((v) => (v.setBigInt64(0, -(2n ** 63n), true), v.setBigInt64(8, 7n, true)), 16), elements: [-(2n ** 63n), 7n] },
    { dtype: 'uint64', bytes: littleEndian((v) => v.setBigUint64(0, 2n ** 64n - 1n, true), 8), elements: [2n ** 64n - 1n] },
    { dtype: 'int32', bytes: littleEndian((v) => v.setInt32(0, -5, true), 4), elements: [-5] },
    { dtype: 'int16', bytes: littleEndian((v) => v.setInt16(0, -300, true), 2), elements: [-300] },
    { dtype: 'uint16', bytes: littleEndian((v) => v.setUint16(0, 65535, true), 2), elements: [65535] },
    { dtype: 'uint32', bytes: littleEndian((v) => v.setUint32(0, 4294967295, true), 4), elements: [4294967295] },
    { dtype: 'int8', bytes: new Uint8Array([0xff]), elements: [-1] },
    { dtype: 'uint8', bytes: new Uint8Array([200]), elements: [200] },
    // float16 elements are their bits: 0x3c00 is 1.0.
    { dtype: 'float16', bytes: new Uint8Array([0x00, 0x3c]), elements: [0x3c00] },
    { dtype: 'bool', bytes: new Uint8Array([1, 0, 1]), elements: [1, 0, 1] },
  ];

  it.each(fixed)('reads $dtype little-endian and writes back the same bytes', ({ dtype, bytes, elements }) => {
    const data = tensorFromBytes(dtype, bytes, elements.length);
    expect(typeof data).not.toBe('string');
    expect(Array.from(data as ArrayLike<unknown>)).toEqual(elements);
    expect(Array.from(tensorToBytes({ dtype, data: data as never }))).toEqual(Array.from(bytes));
  });

  it('copies: the tensor never aliases the request buffer, even at an odd offset', () => {
    const body = new Uint8Array([9, 0, 0, 0xc0, 0x3f]);
    const data = tensorFromBytes('float32', body.subarray(1), 1) as Float32Array;
    expect(Array.from(data)).toEqual([1.5]);
    body[4] = 0;
    expect(Array.from(data)).toEqual([1.5]);
  });

  it('carries NaN and infinities, which JSON cannot', () => {
    const bytes = littleEndian((v) => (v.setFloat32(0, NaN, true), v.setFloat32(4, -Infinity, true)), 8);
    expect(Array.from(tensorFromBytes('float32', bytes, 2) as Float32Array)).toEqual([NaN, -Infinity]);
  });

  it('says how many bytes the elements need when the size is wrong', () => {
    expect(tensorFromBytes('float32', new Uint8Array(12), 4)).toBe('holds 12 bytes, but 4 elements of 4 bytes need 16');
    expect(tensorFromBytes('uint8', new Uint8Array(3), 2)).toBe('holds 3 bytes, but 2 elements of 1 byte need 2');
  });

  it('refuses a BOOL byte other than 0 or 1', () => {
    expect(tensorFromBytes('bool', new Uint8Array([1, 2]), 2)).toBe('element 1 is byte 2, but a BOOL element is 0 or 1');
  });

  it('reads and writes BYTES as 4-byte length-prefixed UTF-8 strings', () => {
    const bytes = tensorToBytes({ dtype: 'string', data: ['héllo', '', '✓'] });
    expect(Array.from(bytes)).toEqual([6, 0, 0, 0, 0x68, 0xc3, 0xa9, 0x6c, 0x6c, 0x6f, 0, 0, 0, 0, 3, 0, 0, 0, 0xe2, 0x9c, 0x93]);
    expect(tensorFromBytes('string', bytes, 3)).toEqual(['héllo', '', '✓']);
  });

  it('names the string that does not add up', () => {
    const two = tensorToBytes({ dtype: 'string', data: ['ab', 'cd'] });
    expect(tensorFromBytes('string', two, 1)).toBe('holds more than the 1 strings its shape needs (6 bytes left over)');
    expect(tensorFromBytes('string', two, 3)).toBe('holds 2 strings, but its shape needs 3');
    expect(tensorFromBytes('string', two.subarray(0, 8), 2)).toBe('string 1 has a cut-off length prefix (2 of 4 bytes)');
    expect(tensorFromBytes('string', two.subarray(0, 11), 2)).toBe('string 1 is 2 bytes long, but only 1 are left');
    expect(tensorFromBytes('string', new Uint8Array([1, 0, 0, 0, 0xff]), 1)).toBe('string 0 is not valid UTF-8');
    expect(tensorFromBytes('string', two, 2, { maxStringLength: 1 })).toBe('string 0 is 2 characters long, more than the limit of 1');
  });

  it('knows each fixed element size and that strings have none', () => {
    expect([elementByteSize('float64'), elementByteSize('float16'), elementByteSize('bool'), elementByteSize('string')]).toEqual([8, 2, 1, undefined]);
  });
});
