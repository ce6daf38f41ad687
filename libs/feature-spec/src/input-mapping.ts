// Where each feature goes, with the spec's defaults filled in: a spec names each feature once, and a matrix's
// columns or a tensor's ONNX input are written out only where they differ from what that name implies.
import type { InputMapping, ModelSpec } from './model-spec';

type MatrixInputs = Extract<InputMapping, { kind: 'matrix' }>;
type FeatureTensor = Extract<InputMapping, { kind: 'per-feature' }>['tensors'][number];

/** The features a matrix input takes, in column order: its `columns`, or else every feature in the spec's order. */
export function matrixColumns(features: ModelSpec['features'], inputs: MatrixInputs): string[] {
  return inputs.columns ?? features.map((feature) => feature.name);
}

/** The ONNX input a per-feature tensor feeds: its `input`, or else the input named as its feature. */
export function tensorInput(tensor: FeatureTensor): string {
  return tensor.input ?? tensor.feature;
}
