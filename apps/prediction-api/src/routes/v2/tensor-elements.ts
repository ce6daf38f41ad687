// V2 datatypes for onnxruntime's element types, and tensor elements between JSON and typed arrays. JSON is strict
// here: numbers for numeric types (integers in range for INT*/UINT*), booleans for BOOL, strings for BYTES.
import { tensorArrayTypes, type BatchTensor, type TensorData, type TensorDtype } from '@onnx-serve/feature-spec';
import { fromFloat16Bits, toFloat16Bits } from './float16';

/** Each element type by its V2 name (the typed arrays that hold them are feature-spec's tensorArrayTypes). */
const datatypes = {
  bool: 'BOOL',
  uint8: 'UINT8',
  uint16: 'UINT16',
  uint32: 'UINT32',
  uint64: 'UINT64',
  int8: 'INT8',
  int16: 'INT16',
  int32: 'INT32',
  int64: 'INT64',
  float16: 'FP16',
  float32: 'FP32',
  float64: 'FP64',
  string: 'BYTES',
} as const satisfies Record<TensorDtype, string>;

export type V2Datatype = (typeof datatypes)[TensorDtype];

export const v2Datatypes: readonly V2Datatype[] = Object.values(datatypes);

export function v2DatatypeOf(dtype: TensorDtype): V2Datatype {
  return datatypes[dtype];
}

/** One element as its typed array stores it. */
export type Element = number | bigint | string;

const integerDtypes = new Set<TensorDtype>(['uint8', 'uint16', 'uint32', 'uint64', 'int8', 'int16', 'int32', 'int64']);
const wideDtypes = new Set<TensorDtype>(['int64', 'uint64']);

/** [min, max] of an integer type, from its width and signedness. */
function integerRange(dtype: TensorDtype): [bigint, bigint] {
  const bits = BigInt((dtype === 'string' ? 0 : tensorArrayTypes[dtype].BYTES_PER_ELEMENT) * 8);
  return dtype.startsWith('u') ? [0n, 2n ** bits - 1n] : [-(2n ** (bits - 1n)), 2n ** (bits - 1n) - 1n];
}

/** What a JSON element of the dtype must be, in words, for messages. */
export function elementNoun(dtype: TensorDtype, maxStringLength: number): string {
  const datatype = datatypes[dtype];
  if (dtype === 'string') return `a string of at most ${maxStringLength} characters (${datatype})`;
  if (dtype === 'bool') return `true or false (${datatype})`;
  if (!integerDtypes.has(dtype)) return `a number within ${datatype} range`;
  const [min, max] = integerRange(dtype);
  const wide = wideDtypes.has(dtype) ? ', as a decimal string beyond ±(2^53-1)' : '';
  return `an integer from ${min} to ${max} (${datatype}${wide})`;
}

/** A JSON value as an element of the dtype, or undefined when it is not one. */
export function elementFromJson(dtype: TensorDtype, value: unknown, maxStringLength: number): Element | undefined {
  if (dtype === 'string') return typeof value === 'string' && value.length <= maxStringLength ? value : undefined;
  if (dtype === 'bool') return typeof value === 'boolean' ? Number(value) : undefined;
  if (integerDtypes.has(dtype)) return integerFromJson(dtype, value);
  if (typeof value !== 'number') return undefined;
  if (dtype === 'float16') {
    const bits = toFloat16Bits(value);
    return (bits & 0x7fff) === 0x7c00 ? undefined : bits;
  }
  return dtype === 'float32' && !Number.isFinite(Math.fround(value)) ? undefined : value;
}

function integerFromJson(dtype: TensorDtype, value: unknown): number | bigint | undefined {
  let integer: bigint;
  // A JSON number past 2^53 has already been rounded by the parser: only a decimal string carries it exactly.
  if (typeof value === 'number' && Number.isSafeInteger(value)) integer = BigInt(value);
  else if (wideDtypes.has(dtype) && typeof value === 'string' && /^-?\d{1,20}$/.test(value)) integer = BigInt(value);
  else return undefined;
  const [min, max] = integerRange(dtype);
  if (integer < min || integer > max) return undefined;
  return wideDtypes.has(dtype) ? integer : Number(integer);
}

/** A tensor buffer of the dtype holding elements from elementFromJson. */
export function tensorData(dtype: TensorDtype, elements: Element[]): TensorData {
  if (dtype === 'string') return elements as string[];
  const data = new tensorArrayTypes[dtype](elements.length);
  // Each element was converted for this very dtype: numbers for number arrays, bigints for the 64-bit ones.
  elements.forEach((element, i) => ((data as unknown as Element[])[i] = element));
  return data;
}

/** A tensor's elements as JSON values: float32 as the exact double it holds, 64-bit integers past 2^53 as strings. */
export function elementsToJson(tensor: BatchTensor): (number | string | boolean)[] {
  const { dtype, data } = tensor;
  if (Array.isArray(data)) return data;
  if (dtype === 'bool') return Array.from(data as Uint8Array, (flag) => flag !== 0);
  // Raw bits where the runtime has no Float16Array (Node 20); numbers already where it has one.
  if (dtype === 'float16' && data instanceof Uint16Array) return Array.from(data, fromFloat16Bits);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    return Array.from(data as BigInt64Array, (value) => {
      const number = Number(value);
      return Number.isSafeInteger(number) ? number : value.toString();
    });
  }
  return Array.from(data as Float32Array);
}
