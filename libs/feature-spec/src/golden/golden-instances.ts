// Golden rows → the instances a client would send, so a replay goes through the server's own request validation.
import type { ModelSpec } from '../model-spec';
import type { ModelSignature } from '../tensors';
import { GoldenFileError } from '../errors';
import { matrixColumns, tensorInput } from '../input-mapping';
import type { GoldenFile, GoldenValue } from './golden-file';

/** Instances for a model with a spec: objects keyed by feature name (a null is a missing value, as on the wire). */
export function goldenFeatureInstances(golden: GoldenFile, spec: ModelSpec): Record<string, GoldenValue>[] {
  let names: string[] | undefined;
  return golden.rows.map((row) => {
    if (!Array.isArray(row)) return row;
    names ??= featureColumns(golden, spec, row.length);
    return Object.fromEntries(names.map((name, i) => [name, row[i] ?? null]));
  });
}

/**
 * The feature each positional value is: the golden file's own `features` when the spec has them all; otherwise by
 * position in the spec's ONNX inputs (a feature the spec had to rename, such as `od280/od315` with its slash).
 */
function featureColumns(golden: GoldenFile, spec: ModelSpec, width: number): string[] {
  const specNames = new Set(spec.features.map((f) => f.name));
  if (golden.features?.every((name) => specNames.has(name))) return golden.features;
  const { inputs } = spec;
  if (inputs.kind === 'matrix') {
    const sameInput = (golden.input ?? inputs.input) === inputs.input && golden.inputs === undefined;
    const columns = matrixColumns(spec.features, inputs);
    if (sameInput && width === columns.length) return columns;
  } else {
    const byInput = new Map(inputs.tensors.map((t) => [tensorInput(t), t.feature]));
    const onnxNames = golden.inputs ?? (golden.input === undefined ? undefined : [golden.input]);
    const features = onnxNames?.map((name) => byInput.get(name));
    if (features?.length === width && features.every((f) => f !== undefined)) return features as string[];
  }
  const unknown = golden.features?.filter((name) => !specNames.has(name)) ?? [];
  const message =
    unknown.length > 0
      ? `names ${unknown.map((n) => JSON.stringify(n)).join(', ')}, which the spec does not have, and the rows do not match the spec's ONNX inputs by position either`
      : "is needed to name the values of array rows (or name the spec's ONNX inputs in \"input\"/\"inputs\")";
  throw new GoldenFileError(golden.source, [{ path: 'features', message }]);
}

/**
 * Instances for a model served raw (no spec): a single-input model's rows as they are; for several inputs, objects
 * keyed by ONNX input name (positional rows named by `inputs`, else `features`).
 */
export function goldenRawInstances(golden: GoldenFile, signature: ModelSignature): unknown[] {
  const inputNames = signature.inputs.map((i) => i.name);
  const names = golden.inputs ?? golden.features;
  if (inputNames.length === 1) {
    return golden.rows.map((row) => (Array.isArray(row) ? row : (names ?? Object.keys(row)).map((name) => row[name] ?? null)));
  }
  return golden.rows.map((row) => {
    if (!Array.isArray(row)) return row;
    if (!names || names.length !== row.length) {
      const message = `a model with several ONNX inputs (${inputNames.join(', ')}) needs its positional rows named: give "inputs"`;
      throw new GoldenFileError(golden.source, [{ path: 'inputs', message }]);
    }
    return Object.fromEntries(names.map((name, i) => [name, row[i] ?? null]));
  });
}
