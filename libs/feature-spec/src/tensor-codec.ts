// Tensor elements to and from JSON, the one codec v1's raw mode, the V2 routes and the OpenAPI schemas all use: which
// JSON value is an element of each dtype, the typed array that holds the elements, nested arrays read into row-major
// order, and elements written back as JSON. Reading is strict by default (V2: the JSON type must be the element's);
// `lenient` is v1's: a number may also come as a decimal string ("5.9"), a boolean as "true"/"false".
import { arrayOf } from './array-of';
import { fromFloat16Bits, toFloat16Bits } from './float16';
import type { TensorDtype } from './model-spec';
import { tensorArrayTypes, type BatchTensor, type TensorData } from './tensors';
import { fromBooleanString, fromNumericString } from './wire-values';

/** One element as the typed array of its dtype holds it: bool as 1/0, float16 as its bits, 64-bit integers as bigint. */
export type Element = number | bigint | string;

/** One element as JSON carries it. */
export type JsonElement = number | string | boolean;

/** What JSON stands for an element of a dtype, in its strict form (the one schemas describe). */
export type ElementForm =
  | { type: 'string' }
  | { type: 'boolean' }
  | { type: 'number' }
  /** `wide`: held as bigint, and sent as a decimal string beyond ±(2^53-1). */
  | { type: 'integer'; min: bigint; max: bigint; wide: boolean };

const integerRanges: Partial<Record<TensorDtype, readonly [bigint, bigint]>> = {
  int8: [-128n, 127n],
  int16: [-32768n, 32767n],
  int32: [-2147483648n, 2147483647n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint8: [0n, 255n],
  uint16: [0n, 65535n],
  uint32: [0n, 4294967295n],
  uint64: [0n, 2n ** 64n - 1n],
};

/**
 * The one rule for a 64-bit integer sent as a string (the only exact form beyond ±(2^53-1): a JSON number that large
 * has been rounded by the parser already): an optional minus and at most 20 decimal digits. Every int64 and uint64
 * value fits in 20 digits (uint64's largest has 20), the range check settles the rest, and a string of a million
 * digits is refused before BigInt reads it. No sign "+", no fraction, no exponent.
 */
export const wideIntegerPattern = /^-?\d{1,20}$/;

export function elementForm(dtype: TensorDtype): ElementForm {
  if (dtype === 'string') return { type: 'string' };
  if (dtype === 'bool') return { type: 'boolean' };
  const range = integerRanges[dtype];
  if (!range) return { type: 'number' };
  return { type: 'integer', min: range[0], max: range[1], wide: dtype === 'int64' || dtype === 'uint64' };
}

export interface ElementOptions {
  /** v1's reading: a number may also be a decimal string ("5.9"), a boolean "true" or "false". */
  lenient?: boolean;
  /** The longest string element, in characters (default: no limit). */
  maxStringLength?: number;
}

/**
 * A JSON value as an element of the dtype, or undefined when it is not one (the caller reports elementNoun).
 * Numbers must be finite and fit the dtype: integers in range, floats within range of float32 and float16.
 */
export function toElement(dtype: TensorDtype, value: unknown, options: ElementOptions = {}): Element | undefined {
  const form = elementForm(dtype);
  const { lenient = false } = options;
  if (form.type === 'string') return typeof value === 'string' && value.length <= (options.maxStringLength ?? Infinity) ? value : undefined;
  if (form.type === 'boolean') {
    const flag = lenient ? fromBooleanString(value) : value;
    return typeof flag === 'boolean' ? Number(flag) : undefined;
  }
  // Even lenient, a 64-bit integer takes a string only in the integer form: "9007199254740993.0" read as a number rounds.
  if (form.type === 'integer' && form.wide) return toBigInt(value, form);
  const number = lenient ? fromNumericString(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) return undefined;
  if (form.type === 'integer') return Number.isInteger(number) && number >= form.min && number <= form.max ? number : undefined;
  if (dtype === 'float16') {
    const bits = toFloat16Bits(number);
    return (bits & 0x7fff) === 0x7c00 ? undefined : bits;
  }
  return dtype === 'float32' && !Number.isFinite(Math.fround(number)) ? undefined : number;
}

function toBigInt(value: unknown, { min, max }: { min: bigint; max: bigint }): bigint | undefined {
  let integer: bigint;
  if (typeof value === 'number' && Number.isSafeInteger(value)) integer = BigInt(value);
  else if (typeof value === 'string' && wideIntegerPattern.test(value)) integer = BigInt(value);
  else return undefined;
  return integer >= min && integer <= max ? integer : undefined;
}

/**
 * What an element of the dtype must be, in words, for messages. V2 passes its datatype name (named in parentheses,
 * with the string form of 64-bit integers) and the string limit; v1 words it plainly.
 */
export function elementNoun(dtype: TensorDtype, naming: { datatype?: string; maxStringLength?: number } = {}): string {
  const { datatype, maxStringLength } = naming;
  const form = elementForm(dtype);
  const named = (extra = '') => (datatype === undefined ? '' : ` (${datatype}${extra})`);
  if (form.type === 'string') return `a string${maxStringLength === undefined ? '' : ` of at most ${maxStringLength} characters`}${named()}`;
  if (form.type === 'boolean') return `true or false${named()}`;
  // A float64 holds every JSON number; float32 and float16 refuse those beyond their range, so they say so.
  if (form.type === 'number') return dtype === 'float64' && datatype === undefined ? 'a number' : `a number within ${datatype ?? dtype} range`;
  return `an integer from ${form.min} to ${form.max}${named(form.wide ? ', as a decimal string beyond ±(2^53-1)' : '')}`;
}

/** A tensor buffer of the dtype holding elements that toElement converted for that same dtype. */
export function fromElements(dtype: TensorDtype, elements: Element[]): TensorData {
  if (dtype === 'string') return elements as string[];
  const data = new tensorArrayTypes[dtype](elements.length);
  // Each element was converted for this very dtype: numbers for number arrays, bigints for the 64-bit ones.
  elements.forEach((element, i) => ((data as unknown as Element[])[i] = element));
  return data;
}

/**
 * Element i of a tensor as JSON: bool as true/false, float16 as the number its bits hold, a 64-bit integer as a
 * number while it is exact and beyond ±(2^53-1) as a decimal string rather than a silently rounded number.
 */
export function jsonElementReader({ dtype, data }: Pick<BatchTensor, 'dtype' | 'data'>): (index: number) => JsonElement {
  const at = (index: number): Element => {
    const value = data[index];
    if (value === undefined) throw new RangeError(`no element ${index} in an output of ${data.length}`);
    return value;
  };
  if (dtype === 'bool') return (index) => at(index) !== 0;
  // Raw bits where the runtime has no Float16Array (Node 20); numbers already where it has one.
  if (dtype === 'float16' && data instanceof Uint16Array) return (index) => fromFloat16Bits(at(index) as number);
  return (index) => {
    const value = at(index);
    if (typeof value !== 'bigint') return value;
    const number = Number(value);
    return Number.isSafeInteger(number) ? number : value.toString();
  };
}

/** All of a tensor's elements as JSON, row-major (see jsonElementReader). */
export function elementsToJson(tensor: Pick<BatchTensor, 'dtype' | 'data'>): JsonElement[] {
  const read = jsonElementReader(tensor);
  return arrayOf(tensor.data.length, read);
}

/**
 * Why nested arrays do not hold a tensor's elements. `where` is the index path to the place ("[0][2]", "" for the
 * value itself) and `axis` the axis its array runs along; each caller words the problem its own way.
 */
export type NestingProblem =
  | { kind: 'element'; where: string; value: unknown }
  | { kind: 'not-array'; where: string; axis: number; value: unknown }
  | { kind: 'length'; where: string; axis: number; length: number; expected: number }
  | { kind: 'empty'; where: string; axis: number }
  /** Flat data that does not hold as many elements as the dims. */
  | { kind: 'count'; length: number; expected: number };

/**
 * The elements of `value`, arrays nested like `dims` around the elements, in row-major order, with the dims as read;
 * or the first problem. A null dim is dynamic: it takes the first length it meets (never 0) and holds every later
 * array along that axis to it. With `flat` (and no null dim), an array that holds no array may instead list all the
 * elements row-major. Dims [] read `value` itself as the one element.
 */
export function readNested<T>(
  value: unknown,
  dims: readonly (number | null)[],
  read: (value: unknown) => T | undefined,
  options: { flat?: boolean } = {},
): { elements: T[]; dims: number[] } | { problem: NestingProblem } {
  const axes = [...dims];
  if (options.flat && Array.isArray(value) && !value.some(Array.isArray) && !axes.includes(null)) {
    const size = (axes as number[]).reduce((count, dim) => count * dim, 1);
    if (value.length !== size) return { problem: { kind: 'count', length: value.length, expected: size } };
    const flat = readNested(value, [size], read);
    return 'problem' in flat ? flat : { elements: flat.elements, dims: axes as number[] };
  }
  const elements: T[] = [];
  const walk = (item: unknown, axis: number, where: string): NestingProblem | undefined => {
    if (axis === axes.length) {
      const element = read(item);
      if (element === undefined) return { kind: 'element', where, value: item };
      elements.push(element);
      return undefined;
    }
    if (!Array.isArray(item)) return { kind: 'not-array', where, axis, value: item };
    const expected = axes[axis];
    if (expected === null || expected === undefined) {
      if (item.length === 0) return { kind: 'empty', where, axis };
      axes[axis] = item.length;
    } else if (item.length !== expected) return { kind: 'length', where, axis, length: item.length, expected };
    for (let i = 0; i < item.length; i++) {
      const problem = walk(item[i], axis + 1, `${where}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };
  const problem = walk(value, 0, '');
  return problem ? { problem } : { elements, dims: axes as number[] };
}
