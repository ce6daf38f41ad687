// Validated rows → the tensors the model is fed. On the hot path: one preallocated buffer per tensor, one pass
// over the rows, no per-value allocation except the BigInt an int64 element needs.
import { allocate } from './dtypes';
import { matrixColumns, tensorInput } from './input-mapping';
import type { FeatureValue, ModelSpec, TensorDtype } from './model-spec';
import type { BatchTensor, ModelSignature, TensorMap } from './tensors';

/**
 * The feeds for validated rows. Per-feature tensors are [N,1], or [N] where the model's signature (when
 * given) declares a rank-1 input: both layouts pass checkSpecAgainstSignature.
 */
export function toBatchInputs(
  spec: ModelSpec,
  rows: readonly Record<string, FeatureValue>[],
  signature?: ModelSignature,
): TensorMap {
  const { inputs } = spec;
  if (inputs.kind === 'matrix') return { [inputs.input]: buildTensor(inputs.dtype, rows, matrixColumns(spec.features, inputs)) };
  const feeds: TensorMap = {};
  for (const entry of inputs.tensors) {
    const input = tensorInput(entry);
    const tensor = buildTensor(entry.dtype, rows, [entry.feature]);
    if (signature?.inputs.find((i) => i.name === input)?.shape.length === 1) tensor.dims = [rows.length];
    feeds[input] = tensor;
  }
  return feeds;
}

/** An [N, names.length] tensor: row i holds rows[i][names[0]], rows[i][names[1]], … */
function buildTensor(
  dtype: TensorDtype,
  rows: readonly Record<string, FeatureValue>[],
  names: readonly string[],
): BatchTensor {
  const width = names.length;
  const data = allocate(dtype, rows.length * width);
  let k = 0;
  // The branch on the buffer's kind is taken once per tensor, not per value.
  if (Array.isArray(data)) {
    for (const row of rows) for (const name of names) data[k++] = row[name] as string;
  } else if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    for (const row of rows) for (const name of names) data[k++] = BigInt(numeric(row[name]));
  } else {
    for (const row of rows) for (const name of names) data[k++] = numeric(row[name]);
  }
  return { dtype, dims: [rows.length, width], data };
}

// Validation guarantees a number or a boolean here (the spec checks forbid strings in numeric tensors).
function numeric(value: FeatureValue | undefined): number {
  return typeof value === 'boolean' ? (value ? 1 : 0) : (value as number);
}
