// Plain descriptions of ONNX tensors, free of onnxruntime: the inference library converts them to and from
// onnxruntime's own Tensor, so everything above it stays pure TypeScript.
import type { TensorDtype } from './model-spec';

/** One input or output of an ONNX graph as the loaded session reports it. */
export interface TensorSignature {
  name: string;
  /** Element type; 'unsupported' for non-tensor values that the server cannot feed or return. */
  dtype: TensorDtype | 'unsupported';
  /** Dimensions; null where the graph leaves a dimension dynamic (the batch axis, usually). */
  shape: (number | null)[];
  /**
   * Set when the exported graph returned a ZipMap (a sequence of {class: probability} maps) here: the inference
   * library serves it as a float32 [N, classes] tensor, and these are the class keys in column order.
   */
  zipMapClasses?: (number | string)[];
}

export interface ModelSignature {
  inputs: TensorSignature[];
  outputs: TensorSignature[];
}

/** Row-major element data, in the typed array onnxruntime-node uses for each dtype (float16 as raw Uint16Array bits; bool as Uint8Array). */
export type TensorData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | string[];

/** A tensor to feed, or one the model returned: row-major data with its dimensions. */
export interface BatchTensor {
  dtype: TensorDtype;
  dims: number[];
  data: TensorData;
}

/** Named tensors: the feeds of one session.run, or what it returned. */
export type TensorMap = Record<string, BatchTensor>;

/**
 * The typed array onnxruntime-node holds each non-string dtype in (float16 as raw Uint16 bits, bool as bytes):
 * the one table the spec library, the inference library and the V2 routes all build and check buffers with.
 */
export const tensorArrayTypes = {
  float32: Float32Array,
  float64: Float64Array,
  float16: Uint16Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  int64: BigInt64Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  uint64: BigUint64Array,
  bool: Uint8Array,
} as const satisfies Record<Exclude<TensorDtype, 'string'>, new (length: number) => Exclude<TensorData, string[]>>;

