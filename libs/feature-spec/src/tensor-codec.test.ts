import { describe, expect, it } from 'vitest';
import type { TensorDtype } from './model-spec';
import { elementForm, elementNoun, elementsToJson, fromElements, readNested, toElement, wideIntegerPattern } from './tensor-codec';
import { tensorArrayTypes } from './tensors';

const strict = (dtype: TensorDtype, value: unknown) => toElement(dtype, value);
const lenient = (dtype: TensorDtype, value: unknown) => toElement(dtype, value, { lenient: true });

/** For each dtype: JSON values and the element each becomes, then values it refuses, in both modes. */
const cases: Record<TensorDtype, { takes: [unknown, unknown][]; refuses: unknown[] }> = {
  string: { takes: [['ünïcode ✓', 'ünïcode ✓'], ['', '']], refuses: [1, true, null, ['a']] },
  bool: { takes: [[true, 1], [false, 0]], refuses: [1, 0, 'yes', null] },
  float64: { takes: [[0.1, 0.1], [-1e300, -1e300], [Number.MAX_VALUE, Number.MAX_VALUE]], refuses: [true, null, '', [1]] },
  float32: { takes: [[0.1, 0.1], [3.4028234663852886e38, 3.4028234663852886e38]], refuses: [3.5e38, -1e39, false] },
  // float16 elements are the bits: 0x3c00 is 1, 0x7bff the largest half (65504), 0x0001 the smallest subnormal.
  float16: { takes: [[1, 0x3c00], [65504, 0x7bff], [65519, 0x7bff], [-2, 0xc000], [2 ** -24, 1]], refuses: [65520, -65520, true] },
  int8: { takes: [[-128, -128], [127, 127]], refuses: [-129, 128, 1.5, true] },
  int16: { takes: [[-32768, -32768], [32767, 32767]], refuses: [-32769, 32768] },
  int32: { takes: [[-2147483648, -2147483648], [2147483647, 2147483647]], refuses: [-2147483649, 2147483648, 0.5] },
  uint8: { takes: [[0, 0], [255, 255]], refuses: [-1, 256] },
  uint16: { takes: [[0, 0], [65535, 65535]], refuses: [-1, 65536] },
  uint32: { takes: [[0, 0], [4294967295, 4294967295]], refuses: [-1, 4294967296] },
  int64: {
    takes: [
      [-9007199254740991, -9007199254740991n],
      [9007199254740991, 9007199254740991n],
      ['9007199254740993', 9007199254740993n],
      ['-9223372036854775808', -(2n ** 63n)],
      ['9223372036854775807', 2n ** 63n - 1n],
      ['42', 42n],
    ],
    refuses: [2 ** 53, -(2 ** 53), '9223372036854775808', '-9223372036854775809', 1.5, '1.0', '1e3', '+1', ' 1', '', '0x10'],
  },
  uint64: {
    takes: [
      [0, 0n],
      ['18446744073709551615', 2n ** 64n - 1n],
    ],
    refuses: ['18446744073709551616', '-1', -1, '00000000000000000000001'],
  },
};

describe('toElement', () => {
  it('converts the JSON form of every dtype, in both modes, and refuses what is not one', () => {
    for (const [dtype, { takes, refuses }] of Object.entries(cases) as [TensorDtype, (typeof cases)[TensorDtype]][]) {
      for (const [value, element] of takes) {
        expect(strict(dtype, value), `${dtype} ${String(value)}`).toBe(element);
        expect(lenient(dtype, value), `${dtype} ${String(value)}, lenient`).toBe(element);
      }
      for (const value of [...refuses, undefined, {}]) {
        expect(strict(dtype, value), `${dtype} ${String(value)}`).toBeUndefined();
        expect(lenient(dtype, value), `${dtype} ${String(value)}, lenient`).toBeUndefined();
      }
    }
  });

  it('refuses NaN and ±Infinity for every numeric dtype, as numbers and as strings', () => {
    const numeric = Object.keys(cases).filter((dtype) => dtype !== 'string' && dtype !== 'bool') as TensorDtype[];
    for (const dtype of numeric) {
      for (const value of [NaN, Infinity, -Infinity, 'NaN', 'Infinity', '-Infinity', '1e999']) {
        expect(strict(dtype, value), `${dtype} ${value}`).toBeUndefined();
        expect(lenient(dtype, value), `${dtype} ${value}, lenient`).toBeUndefined();
      }
    }
  });

  it('is strict by default; lenient also takes decimal strings for numbers and "true"/"false" for booleans', () => {
    const quoted: [TensorDtype, string, number][] = [
      ['float32', '5.9', 5.9],
      ['float64', '-.5e2', -50],
      ['float16', '1', 0x3c00],
      ['int32', '7', 7],
      ['int8', '1e2', 100],
      ['uint8', '255', 255],
      ['bool', 'true', 1],
      ['bool', 'false', 0],
    ];
    for (const [dtype, value, element] of quoted) {
      expect(strict(dtype, value), `${dtype} ${value}`).toBeUndefined();
      expect(lenient(dtype, value), `${dtype} ${value}, lenient`).toBe(element);
    }
    // Lenient still refuses a quoted number out of range, a fraction for an integer, and text.
    expect(lenient('uint8', '256')).toBeUndefined();
    expect(lenient('int32', '1.5')).toBeUndefined();
    expect(lenient('float32', '12abc')).toBeUndefined();
    expect(lenient('bool', 'True')).toBeUndefined();
  });

  it('takes a 64-bit integer string only in integer form, lenient too: a quoted fraction that large would round', () => {
    expect(lenient('int64', '9007199254740990.5')).toBeUndefined();
    expect(lenient('int64', '5.0')).toBeUndefined();
    expect(lenient('int64', '-5')).toBe(-5n);
    expect(wideIntegerPattern.test('18446744073709551615')).toBe(true);
    expect(wideIntegerPattern.test('1'.repeat(21))).toBe(false);
  });

  it('applies maxStringLength to string elements only', () => {
    expect(toElement('string', 'abcd', { maxStringLength: 4 })).toBe('abcd');
    expect(toElement('string', 'abcde', { maxStringLength: 4 })).toBeUndefined();
    expect(toElement('int64', '12345', { maxStringLength: 4 })).toBe(12345n);
  });
});

describe('elementForm', () => {
  it('tells the strict JSON form: the range of integers, and which ones travel as strings past 2^53', () => {
    expect(elementForm('string')).toEqual({ type: 'string' });
    expect(elementForm('bool')).toEqual({ type: 'boolean' });
    expect(elementForm('float16')).toEqual({ type: 'number' });
    expect(elementForm('uint16')).toEqual({ type: 'integer', min: 0n, max: 65535n, wide: false });
    expect(elementForm('int64')).toEqual({ type: 'integer', min: -(2n ** 63n), max: 2n ** 63n - 1n, wide: true });
  });
});

describe('elementNoun', () => {
  it('words v1 plainly and V2 with its datatype, its string limit and the string form of 64-bit integers', () => {
    expect(['string', 'bool', 'float64', 'float32', 'int8', 'int64'].map((dtype) => elementNoun(dtype as TensorDtype))).toEqual([
      'a string',
      'true or false',
      'a number',
      'a number within float32 range',
      'an integer from -128 to 127',
      'an integer from -9223372036854775808 to 9223372036854775807',
    ]);
    const v2 = (dtype: TensorDtype, datatype: string) => elementNoun(dtype, { datatype, maxStringLength: 100 });
    expect(v2('string', 'BYTES')).toBe('a string of at most 100 characters (BYTES)');
    expect(v2('bool', 'BOOL')).toBe('true or false (BOOL)');
    expect(v2('float16', 'FP16')).toBe('a number within FP16 range');
    expect(v2('float64', 'FP64')).toBe('a number within FP64 range');
    expect(v2('uint8', 'UINT8')).toBe('an integer from 0 to 255 (UINT8)');
    expect(v2('uint64', 'UINT64')).toBe('an integer from 0 to 18446744073709551615 (UINT64, as a decimal string beyond ±(2^53-1))');
  });
});

describe('fromElements and elementsToJson', () => {
  it('holds each dtype in its typed array and gives the same JSON back', () => {
    const json: Record<TensorDtype, unknown[]> = {
      string: ['a', ''],
      bool: [true, false],
      float64: [0.1, -1e300],
      float32: [0.5, -2],
      float16: [0.5, 65504],
      int8: [-128, 127],
      int16: [-32768, 32767],
      int32: [-2147483648, 2147483647],
      uint8: [0, 255],
      uint16: [0, 65535],
      uint32: [0, 4294967295],
      int64: ['-9223372036854775808', 9007199254740991],
      uint64: [0, '18446744073709551615'],
    };
    for (const [dtype, values] of Object.entries(json) as [TensorDtype, unknown[]][]) {
      const data = fromElements(dtype, values.map((value) => toElement(dtype, value)!));
      if (dtype === 'string') expect(data).toEqual(values);
      else expect(data, dtype).toBeInstanceOf(tensorArrayTypes[dtype]);
      expect(elementsToJson({ dtype, data }), dtype).toEqual(values);
    }
  });

  it('writes float32 as the exact double it holds, float16 bits as their number, int64 as a string only past 2^53', () => {
    expect(elementsToJson({ dtype: 'float32', data: new Float32Array([0.1]) })).toEqual([Math.fround(0.1)]);
    expect(elementsToJson({ dtype: 'float16', data: new Uint16Array([0x3555, 0x7c00, 0x0001]) })).toEqual([0.333251953125, Infinity, 2 ** -24]);
    const ints = new BigInt64Array([9007199254740991n, 9007199254740992n, -9007199254740992n]);
    expect(elementsToJson({ dtype: 'int64', data: ints })).toEqual([9007199254740991, '9007199254740992', '-9007199254740992']);
  });
});

describe('readNested', () => {
  const number = (value: unknown) => toElement('float64', value) as number | undefined;

  it('reads arrays nested like the dims into row-major order', () => {
    expect(readNested([[1, 2, 3], [4, 5, 6]], [2, 3], number)).toEqual({ elements: [1, 2, 3, 4, 5, 6], dims: [2, 3] });
  });

  it('fixes a dynamic dim at the first length it meets and holds the later arrays to it', () => {
    expect(readNested([[1, 2], [3, 4]], [null, null], number)).toEqual({ elements: [1, 2, 3, 4], dims: [2, 2] });
    expect(readNested([[1, 2], [3]], [2, null], number)).toEqual({ problem: { kind: 'length', where: '[1]', axis: 1, length: 1, expected: 2 } });
    expect(readNested([[]], [1, null], number)).toEqual({ problem: { kind: 'empty', where: '[0]', axis: 1 } });
  });

  it('tells the first problem and where it is: a wrong element, a missing array, a wrong length', () => {
    expect(readNested([[1, 'x'], [true, 4]], [2, 2], number)).toEqual({ problem: { kind: 'element', where: '[0][1]', value: 'x' } });
    expect(readNested([1, [2]], [2, 1], number)).toEqual({ problem: { kind: 'not-array', where: '[0]', axis: 1, value: 1 } });
    expect(readNested('row', [2], number)).toEqual({ problem: { kind: 'not-array', where: '', axis: 0, value: 'row' } });
    expect(readNested([1, 2, 3], [2], number)).toEqual({ problem: { kind: 'length', where: '', axis: 0, length: 3, expected: 2 } });
  });

  it('reads the value itself as the one element of dims []', () => {
    expect(readNested(7, [], number)).toEqual({ elements: [7], dims: [] });
    expect(readNested([7], [], number)).toEqual({ problem: { kind: 'element', where: '', value: [7] } });
  });

  it('with flat, also takes all the elements in one array, which must then hold as many as the dims', () => {
    const flat = { flat: true };
    expect(readNested([1, 2, 3, 4, 5, 6], [2, 3], number, flat)).toEqual({ elements: [1, 2, 3, 4, 5, 6], dims: [2, 3] });
    expect(readNested([[1, 2, 3], [4, 5, 6]], [2, 3], number, flat)).toEqual({ elements: [1, 2, 3, 4, 5, 6], dims: [2, 3] });
    expect(readNested([1, 2, 3], [2, 3], number, flat)).toEqual({ problem: { kind: 'count', length: 3, expected: 6 } });
    expect(readNested([1, 'x'], [1, 2], number, flat)).toEqual({ problem: { kind: 'element', where: '[1]', value: 'x' } });
    expect(readNested([7], [], number, flat)).toEqual({ elements: [7], dims: [] });
    // Without flat, or along a dynamic dim, the same flat array is read as nested and refused.
    expect(readNested([1, 2, 3, 4, 5, 6], [2, 3], number)).toEqual({ problem: { kind: 'length', where: '', axis: 0, length: 6, expected: 2 } });
    expect(readNested([1, 2], [null, 2], number, flat)).toEqual({ problem: { kind: 'not-array', where: '[0]', axis: 1, value: 1 } });
  });
});
