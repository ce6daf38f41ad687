// Raw mode outputs → one object per instance keyed by output name, each value shaped like the output's row.
import { arrayOf } from './array-of';
import { outputRows } from './output-tensors';
import { jsonElementReader } from './tensor-codec';
import type { ModelSignature, TensorMap } from './tensors';

/** A row of one output: a scalar, a nested array shaped like the row, or {class: probability} for a ZipMap. */
export type RawValue = number | string | boolean | RawValue[] | { [key: string]: number };
export type RawPrediction = Record<string, RawValue>;

export function readRawPredictions(signature: ModelSignature, outputs: TensorMap, count: number): RawPrediction[] {
  const readers = signature.outputs
    // A non-tensor output that is not a ZipMap cannot be returned: the inference library does not fetch it.
    .filter((output) => output.zipMapClasses !== undefined || output.dtype !== 'unsupported')
    .map((output) => {
      const { tensor, width } = outputRows(outputs, output.name, count);
      const classes = output.zipMapClasses?.map(String);
      const read = jsonElementReader(tensor);
      const rowDims = tensor.dims.slice(1);
      const rowOf = (i: number): RawValue => {
        if (classes) return Object.fromEntries(classes.map((key, j) => [key, read(i * width + j) as number]));
        return width === 1 ? read(i) : nest(read, i * width, rowDims, 0);
      };
      return [output.name, rowOf] as const;
    });
  return arrayOf(count, (i) => Object.fromEntries(readers.map(([name, rowOf]) => [name, rowOf(i)])));
}

function nest(read: (index: number) => RawValue, offset: number, dims: number[], depth: number): RawValue[] {
  const stride = dims.slice(depth + 1).reduce((size, dim) => size * dim, 1);
  return arrayOf(dims[depth] ?? 0, (j) =>
    depth === dims.length - 1 ? read(offset + j) : nest(read, offset + j * stride, dims, depth + 1),
  );
}
