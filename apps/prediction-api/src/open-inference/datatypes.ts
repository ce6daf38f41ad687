// V2 datatypes for onnxruntime's element types. The elements themselves go between JSON and typed arrays through
// feature-spec's tensor codec, strict here: numbers for numeric types, booleans for BOOL, strings for BYTES.
import type { TensorDtype } from '@onnx-serve/feature-spec';

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
