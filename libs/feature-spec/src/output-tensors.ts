// Reading what the model returned: find an output, check it holds one row per instance, read plain JS numbers.
import type { BatchTensor, TensorData, TensorMap } from './tensors';

export interface OutputRows {
  tensor: BatchTensor;
  /** Elements per row. */
  width: number;
}

export function outputRows(outputs: TensorMap, name: string, count: number): OutputRows {
  const tensor = outputs[name];
  if (!tensor) {
    const returned = Object.keys(outputs).join(', ') || 'nothing';
    throw new Error(`the model returned no output "${name}" (it returned: ${returned})`);
  }
  const width = tensor.dims.slice(1).reduce((size, dim) => size * dim, 1);
  if (tensor.dims[0] !== count || tensor.data.length !== count * width) {
    throw new Error(
      `output "${name}" has dims [${tensor.dims.join(',')}] and ${tensor.data.length} values: not one row for each of ${count} instances`,
    );
  }
  return { tensor, width };
}

/** Element i as a JS number (a float32 element as the exact double it holds; int64 through Number()). */
export function numberAt(data: TensorData, index: number): number {
  const value = data[index];
  return typeof value === 'number' ? value : Number(value);
}
