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
  return batchInputsBuilder(spec, signature)(rows);
}

/** toBatchInputs for one spec and signature, with its columns and layouts worked out once rather than per request. */
export function batchInputsBuilder(
  spec: ModelSpec,
  signature?: ModelSignature,
): (rows: readonly Record<string, FeatureValue>[]) => TensorMap {
  const { inputs } = spec;
  const tensors =
    inputs.kind === 'matrix'
      ? [{ input: inputs.input, dtype: inputs.dtype, names: matrixColumns(spec.features, inputs), rankOne: false }]
      : inputs.tensors.map((entry) => {
          const input = tensorInput(entry);
          const rankOne = signature?.inputs.find((i) => i.name === input)?.shape.length === 1;
          return { input, dtype: entry.dtype, names: [entry.feature], rankOne };
        });
  return (rows) => {
    // Filled by assignment: an object literal with a computed key costs a runtime call per request once the
    // server's models have given that literal several input names.
    const feeds: TensorMap = {};
    for (const { input, dtype, names, rankOne } of tensors) {
      const tensor = buildTensor(dtype, rows, names);
      if (rankOne) tensor.dims = [rows.length];
      feeds[input] = tensor;
    }
    return feeds;
  };
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
