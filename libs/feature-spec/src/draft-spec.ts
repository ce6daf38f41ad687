// A starting spec.json read off a model's signature (for tools/inspect-model): valid and fitting the graph, with
// placeholder names (x0…, class_0…) that a person then renames, describes and bounds.
import { featureTypeFor, isFeedable, isFloatDtype, isIntegerDtype } from './dtypes';
import { SpecError } from './errors';
import type { FeatureSpec, InputMapping, ModelSpec, OutputMapping } from './model-spec';
import { describeTensor, holdsOnePerRow } from './tensor-shapes';
import type { ModelSignature, TensorSignature } from './tensors';

export function draftSpecFromSignature(signature: ModelSignature): ModelSpec {
  return {
    description: 'Drafted from the ONNX signature: rename the features and classes, add descriptions, units and bounds.',
    ...draftInputs(signature.inputs),
    outputs: draftOutputs(signature.outputs),
  };
}

function draftInputs(inputs: TensorSignature[]): { features: FeatureSpec[]; inputs: InputMapping } {
  const [only] = inputs;
  const width = only?.shape.length === 2 ? only.shape[1] : undefined;
  const type = only && inputs.length === 1 && only.dtype !== 'string' ? featureTypeFor(only.dtype) : undefined;
  if (only && type && isFeedable(only.dtype) && typeof width === 'number') {
    const columns = Array.from({ length: width }, (_, i) => `x${i}`);
    return {
      features: columns.map((name) => ({ name, type })),
      inputs: { kind: 'matrix', input: only.name, dtype: only.dtype, columns },
    };
  }
  const used = new Set<string>();
  const tensors = inputs.map((input) => {
    const { dtype } = input;
    const type = isFeedable(dtype) ? featureTypeFor(dtype) : undefined;
    if (!type || !isFeedable(dtype) || !holdsOnePerRow(input)) {
      throw cannotDraft(
        'inputs',
        `ONNX input "${input.name}" is ${describeTensor(input)}: neither one float matrix [N,k] nor one [N,1] tensor per feature`,
      );
    }
    return { feature: uniqueIdentifier(input.name, used), input: input.name, dtype, type };
  });
  return {
    features: tensors.map(({ feature, type }): FeatureSpec => ({ name: feature, type })),
    inputs: { kind: 'per-feature', tensors: tensors.map(({ feature, input, dtype }) => ({ feature, input, dtype })) },
  };
}

function draftOutputs(outputs: TensorSignature[]): OutputMapping {
  const label = outputs.find(
    (output) => (isIntegerDtype(output.dtype) || output.dtype === 'string') && holdsOnePerRow(output),
  );
  const scores = outputs.find(
    (output) => output !== label && (output.zipMapClasses || (isFloatDtype(output.dtype) && output.shape.length === 2)),
  );
  if (label && scores) {
    const width = scores.zipMapClasses?.length ?? scores.shape[1] ?? null;
    // One score column is a binary decision function (an SVM's): two classes, scored for the positive one.
    const decision = width === 1;
    const classes = scores.zipMapClasses
      ? scores.zipMapClasses.map((key) => (typeof key === 'string' ? key : `class_${key}`))
      : placeholderClasses(width === null || decision ? 2 : width);
    const scoreKind = decision ? 'decision' : 'probabilities';
    return { kind: 'classification', classes, labelOutput: label.name, scoresOutput: scores.name, scoreKind };
  }
  const value = outputs.find((output) => isFloatDtype(output.dtype) && holdsOnePerRow(output));
  if (value) return { kind: 'regression', output: value.name };
  if (label) {
    return { kind: 'classification', classes: placeholderClasses(2), labelOutput: label.name, scoreKind: 'probabilities' };
  }
  const known = outputs.map((output) => `${output.name} (${describeTensor(output)})`).join(', ');
  throw cannotDraft('outputs', `no label [N] or float [N]/[N,1] output among: ${known}`);
}


function placeholderClasses(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `class_${i}`);
}

/** An input name as a feature name (letters, digits, _ . -; not starting with a digit), unique among `used`. */
function uniqueIdentifier(name: string, used: Set<string>): string {
  const base = name.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^(?=[^A-Za-z_])/, '_');
  let candidate = base;
  for (let n = 2; used.has(candidate); n++) candidate = `${base}_${n}`;
  used.add(candidate);
  return candidate;
}

function cannotDraft(path: string, message: string): SpecError {
  return new SpecError('draft', [{ path, message: `${message}; serve the model without a spec (raw mode)` }]);
}
