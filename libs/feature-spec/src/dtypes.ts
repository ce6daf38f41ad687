// What each ONNX element type is held in, and which JSON values convert to it. float16 (raw Uint16 bits) and
// non-tensor values are not fed: no example model needs them and a wrong conversion would be silent.
import type { FeatureType, TensorDtype } from './model-spec';
import { tensorArrayTypes, type TensorData } from './tensors';
import { fromBooleanString, fromNumericString } from './wire-values';

// float16 is left out on purpose (see above); every other dtype is held as tensorArrayTypes says.
const { float16: _notFed, int64, uint64, ...numberArrays } = tensorArrayTypes;
const bigintArrays = { int64, uint64 } as const;

const integerRanges: Partial<Record<TensorDtype, readonly [number, number]>> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 4294967295],
};
const bigintRanges: Partial<Record<TensorDtype, readonly [bigint, bigint]>> = {
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
};

/** One element as the typed array of its dtype takes it (booleans already 1/0). */
export type Element = number | bigint | string;

export function isFloatDtype(dtype: TensorDtype | 'unsupported'): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

export function isIntegerDtype(dtype: TensorDtype | 'unsupported'): boolean {
  return dtype in integerRanges || dtype in bigintRanges;
}

/** Whether this library can build tensors of the dtype. */
export function isFeedable(dtype: TensorDtype | 'unsupported'): dtype is TensorDtype {
  return dtype in numberArrays || dtype in bigintArrays || dtype === 'string';
}

/** The feature type that naturally feeds a dtype (for drafting specs); undefined where none does. */
export function featureTypeFor(dtype: TensorDtype | 'unsupported'): FeatureType | undefined {
  if (dtype === 'string') return 'string';
  if (dtype === 'bool') return 'boolean';
  if (isFloatDtype(dtype)) return 'number';
  return isIntegerDtype(dtype) ? 'integer' : undefined;
}

/** Whether a feature's validated values convert to the dtype without loss: no number into an integer tensor. */
export function featureFitsDtype(type: FeatureType, dtype: TensorDtype): boolean {
  if (type === 'string' || dtype === 'string') return type === 'string' && dtype === 'string';
  if (dtype === 'bool') return type === 'boolean';
  if (isFloatDtype(dtype)) return true;
  return isIntegerDtype(dtype) && type !== 'number';
}

/** A zero-filled tensor buffer of `size` elements. */
export function allocate(dtype: TensorDtype, size: number): TensorData {
  if (dtype === 'string') return new Array<string>(size).fill('');
  if (dtype in numberArrays) return new numberArrays[dtype as keyof typeof numberArrays](size);
  if (dtype in bigintArrays) return new bigintArrays[dtype as keyof typeof bigintArrays](size);
  throw new Error(`${dtype} tensors are not supported`);
}

/** A tensor buffer holding elements already converted by toElement for the same dtype. */
export function fromElements(dtype: TensorDtype, elements: Element[]): TensorData {
  if (dtype === 'string') return elements as string[];
  if (dtype in numberArrays) return numberArrays[dtype as keyof typeof numberArrays].from(elements as number[]);
  if (dtype in bigintArrays) return bigintArrays[dtype as keyof typeof bigintArrays].from(elements as bigint[]);
  throw new Error(`${dtype} tensors are not supported`);
}

/** What an element of the dtype must be, in words, for messages. */
export function elementNoun(dtype: TensorDtype): string {
  if (dtype === 'string') return 'a string';
  if (dtype === 'bool') return 'true or false';
  if (isFloatDtype(dtype)) return 'a number';
  const range = integerRanges[dtype] ?? bigintRanges[dtype];
  return range ? `an integer from ${range[0]} to ${range[1]}` : `a ${dtype} value`;
}

/** A JSON value as an element of the dtype, or undefined when it is not one (the caller reports elementNoun). */
export function toElement(dtype: TensorDtype, value: unknown, maxStringLength = Infinity): Element | undefined {
  if (dtype === 'string') return typeof value === 'string' && value.length <= maxStringLength ? value : undefined;
  if (dtype === 'bool') {
    const flag = fromBooleanString(value);
    return typeof flag === 'boolean' ? Number(flag) : undefined;
  }
  const bigRange = bigintRanges[dtype];
  if (bigRange) return toBigInt(value, bigRange);
  const number = fromNumericString(value);
  if (typeof number !== 'number' || !Number.isFinite(number)) return undefined;
  const range = integerRanges[dtype];
  if (!range) return number;
  return Number.isInteger(number) && number >= range[0] && number <= range[1] ? number : undefined;
}

// int64 values beyond 2^53 cannot travel as JSON numbers: accept them as integer strings.
function toBigInt(value: unknown, [min, max]: readonly [bigint, bigint]): bigint | undefined {
  let big: bigint;
  if (typeof value === 'number' && Number.isSafeInteger(value)) big = BigInt(value);
  else if (typeof value === 'string' && /^-?\d+$/.test(value)) big = BigInt(value);
  else return undefined;
  return big >= min && big <= max ? big : undefined;
}
