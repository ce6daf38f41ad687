// Splitting a batch along axis 0 and joining the outputs back, for runs cut into chunks.
import type { BatchTensor, TensorData, TensorMap } from '@onnx-serve/feature-spec';

type NumericData = Exclude<TensorData, string[]>;

/** Rows [start, end) of a row-major tensor; typed arrays are viewed, not copied. */
export function sliceRows(tensor: BatchTensor, start: number, end: number): BatchTensor {
  const rowSize = tensor.dims.slice(1).reduce((n, d) => n * d, 1);
  const data = Array.isArray(tensor.data)
    ? tensor.data.slice(start * rowSize, end * rowSize)
    : tensor.data.subarray(start * rowSize, end * rowSize);
  return { dtype: tensor.dtype, dims: [end - start, ...tensor.dims.slice(1)], data };
}

export function sliceFeeds(feeds: TensorMap, start: number, end: number): TensorMap {
  return Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, sliceRows(t, start, end)]));
}

export interface ChunkResult {
  rows: number;
  outputs: TensorMap;
}

/**
 * Joins consecutive row blocks along axis 0 (the outputs of a batch's chunks, or the feeds of a dynamic batch);
 * undefined when some tensor of a block does not have that block's row count.
 */
export function concatChunkOutputs(chunks: readonly ChunkResult[]): TensorMap | undefined {
  const [first] = chunks;
  if (!first) return undefined;
  const joined: TensorMap = {};
  for (const [name, head] of Object.entries(first.outputs)) {
    const parts: BatchTensor[] = [];
    for (const chunk of chunks) {
      const part = chunk.outputs[name];
      if (part?.dims[0] !== chunk.rows) return undefined;
      parts.push(part);
    }
    const rows = chunks.reduce((n, c) => n + c.rows, 0);
    joined[name] = { dtype: head.dtype, dims: [rows, ...head.dims.slice(1)], data: concatData(head.data, parts) };
  }
  return joined;
}

function concatData(head: TensorData, parts: readonly BatchTensor[]): TensorData {
  if (Array.isArray(head)) return parts.flatMap((p) => p.data as string[]);
  const length = parts.reduce((n, p) => n + p.data.length, 0);
  const out = new (head.constructor as new (length: number) => NumericData)(length);
  let offset = 0;
  for (const part of parts) {
    // set() between arrays of one type; the union of typed arrays hides that from TypeScript.
    (out as Float64Array).set(part.data as Float64Array, offset);
    offset += part.data.length;
  }
  return out;
}
