// Which ONNX element types v1 feeds and reads as plain numbers, and which feature type fits each. The JSON forms of
// the elements themselves are the tensor codec's (tensor-codec.ts). v1 feeds no float16: no example model needs it.
import type { FeatureType, TensorDtype } from './model-spec';
import { elementForm } from './tensor-codec';
import { tensorArrayTypes, type TensorData } from './tensors';

// float16 is left out on purpose (see above): its buffer holds bits, and the spec path writes plain numbers.
const { float16: _notFed, int64, uint64, ...numberArrays } = tensorArrayTypes;
const bigintArrays = { int64, uint64 } as const;

/** The floats v1 reads and writes as plain numbers (float16 is held as bits). */
export function isFloatDtype(dtype: TensorDtype | 'unsupported'): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

export function isIntegerDtype(dtype: TensorDtype | 'unsupported'): boolean {
  return dtype !== 'unsupported' && elementForm(dtype).type === 'integer';
}

/** Whether v1 can build tensors of the dtype. */
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

/** A zero-filled tensor buffer of `size` elements, for a caller that writes plain numbers (bigints, strings) into it. */
export function allocate(dtype: TensorDtype, size: number): TensorData {
  if (dtype === 'string') return new Array<string>(size).fill('');
  if (dtype in numberArrays) return new numberArrays[dtype as keyof typeof numberArrays](size);
  if (dtype in bigintArrays) return new bigintArrays[dtype as keyof typeof bigintArrays](size);
  throw new Error(`${dtype} tensors are not supported`);
}
