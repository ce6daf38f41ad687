// A starting spec.json read off a model's signature (for tools/inspect-model and the model generator): valid and
// fitting the graph, named from what is known (names given, a golden file, the model's metadata) and with
// placeholders (x0…, class_0…) only where nothing is; what a person must still edit comes back as todo lines.
import { arrayOf } from './array-of';
import { featureTypeFor, isFeedable, isFloatDtype, isIntegerDtype } from './dtypes';
import { SpecError } from './errors';
import type { FeatureSpec, InputMapping, ModelSpec, OutputMapping } from './model-spec';
import { scoreKindEvidence } from './score-kind-evidence';
import { describeTensor, holdsOnePerRow } from './tensor-shapes';
import type { ModelSignature, TensorSignature } from './tensors';

/** Names for a matrix's columns or a model's classes, and where they came from (`the golden file`), for messages. */
export interface KnownNames {
  names: readonly string[];
  from: string;
}

export interface DraftKnowledge {
  /** The columns of a single matrix input, in order. Per-column inputs are named by their own ONNX names. */
  features?: KnownNames;
  /** The classes, in the order of the model's integer labels and score columns. */
  classes?: KnownNames;
  /** What the model returned for the golden rows, by ONNX output name, one row of scores each: scoreKind's evidence. */
  goldenScores?: Readonly<Record<string, readonly (readonly number[])[]>>;
  /** Where the golden rows leave values empty: a matrix's column indices, or the ONNX inputs of per-column rows. */
  goldenMissing?: { columns: ReadonlySet<number | string>; stringValue?: string };
}

export interface SpecDraft {
  spec: ModelSpec;
  /** What is left for a person to edit, one line each. */
  todo: string[];
}

export function draftSpecFromSignature(signature: ModelSignature, known: DraftKnowledge = {}): SpecDraft {
  const todo: string[] = [];
  const { features, inputs } = draftInputs(signature.inputs, known.features, todo);
  const outputs = draftOutputs(signature.outputs, known, todo);
  if (known.goldenMissing) declareMissing(features, inputs, known.goldenMissing, todo);
  todo.push(
    'description: say what the model predicts, from what',
    'features: give each a description, and a unit, minimum, maximum and example where they apply',
  );
  return { spec: { description: 'Drafted from the ONNX model: describe what it predicts.', features, inputs, outputs }, todo };
}

function draftInputs(
  inputs: TensorSignature[],
  known: KnownNames | undefined,
  todo: string[],
): { features: FeatureSpec[]; inputs: InputMapping } {
  const [only] = inputs;
  const width = only?.shape.length === 2 ? only.shape[1] : undefined;
  const type = only && inputs.length === 1 && only.dtype !== 'string' ? featureTypeFor(only.dtype) : undefined;
  // A matrix whose width the graph leaves open takes as many columns as there are names.
  if (only && type && isFeedable(only.dtype) && (typeof width === 'number' || (width === null && known))) {
    const names = known ? columnNames(known, only, todo) : placeholderFeatures(only, width ?? 0, todo);
    return { features: names.map((name) => ({ name, type })), inputs: { kind: 'matrix', input: only.name, dtype: only.dtype } };
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
  const inputNames = inputs.map((input) => input.name);
  if (known && [...known.names].sort().join('\n') !== [...inputNames].sort().join('\n')) {
    todo.push(`features: named by the model's ONNX inputs (${inputNames.join(', ')}), though ${known.from} names ${known.names.join(', ')}`);
  }
  return {
    features: tensors.map(({ feature, type }): FeatureSpec => ({ name: feature, type })),
    // A tensor names its ONNX input only where that is not its feature's name.
    inputs: {
      kind: 'per-feature',
      tensors: tensors.map(({ feature, input, dtype }) => (input === feature ? { feature, dtype } : { feature, input, dtype })),
    },
  };
}

/**
 * A feature the golden rows leave empty must be sendable empty: a float feature is fed as NaN (an imputer in the
 * graph, or a tree model's own missing-value routing, then sees what Python saw), a string one as the pipeline's
 * missing marker. Each is listed for a person to confirm, as only they know what the model was trained with.
 */
function declareMissing(
  features: FeatureSpec[],
  inputs: InputMapping,
  missing: NonNullable<DraftKnowledge['goldenMissing']>,
  todo: string[],
): void {
  features.forEach((feature, index) => {
    const tensor = inputs.kind === 'matrix' ? undefined : inputs.tensors[index];
    const column = tensor ? (tensor.input ?? tensor.feature) : index;
    if (!missing.columns.has(column)) return;
    const dtype = tensor ? tensor.dtype : (inputs as Extract<InputMapping, { kind: 'matrix' }>).dtype;
    if (feature.type === 'string') {
      feature.default = missing.stringValue ?? '';
      todo.push(
        `features.${feature.name}: the golden rows leave it empty, so a missing value is sent as ${JSON.stringify(feature.default)} ("default"): check that is the marker the pipeline was trained with (skl2onnx: SimpleImputer(missing_values=""))`,
      );
    } else if (isFloatDtype(dtype)) {
      feature.missing = 'nan';
      todo.push(
        `features.${feature.name}: the golden rows leave it empty, so a missing value is fed as NaN ("missing": "nan"): keep that only if the graph imputes it or the model routes NaN itself (LightGBM, XGBoost)`,
      );
    } else {
      todo.push(`features.${feature.name}: the golden rows leave it empty, but its ${dtype} input cannot hold NaN: give it a default, or fix the rows`);
    }
  });
}

function columnNames(known: KnownNames, matrix: TensorSignature, todo: string[]): string[] {
  const width = matrix.shape[1];
  if (typeof width === 'number' && known.names.length !== width) {
    throw new SpecError('draft', [
      {
        path: 'features',
        message: `${known.from} gives ${known.names.length} feature names, but ONNX input "${matrix.name}" (${describeTensor(matrix)}) has ${width} columns`,
      },
    ]);
  }
  const used = new Set<string>();
  return known.names.map((name, i) => {
    const feature = uniqueIdentifier(name, used);
    if (feature !== name) {
      todo.push(
        `features[${i}]: ${JSON.stringify(name)} (from ${known.from}) is named "${feature}": a feature name is unique and holds only letters, digits, _ . -`,
      );
    }
    return feature;
  });
}

function placeholderFeatures(matrix: TensorSignature, width: number, todo: string[]): string[] {
  const names = arrayOf(width, (i) => `x${i}`);
  todo.push(
    `features: ${range(names)} stand for the ${width} columns of ONNX input "${matrix.name}", as nothing named them ` +
      '(give the names, a golden file with features, or metadata_props "feature_names" in the model): rename them in column order',
  );
  return names;
}

function draftOutputs(outputs: TensorSignature[], known: DraftKnowledge, todo: string[]): OutputMapping {
  const label = outputs.find(
    (output) => (isIntegerDtype(output.dtype) || output.dtype === 'string') && holdsOnePerRow(output),
  );
  const scores = outputs.find(
    (output) => output !== label && (output.zipMapClasses || (isFloatDtype(output.dtype) && output.shape.length === 2)),
  );
  if (label && scores) return draftClassifier(label, scores, known, todo);
  const value = outputs.find((output) => isFloatDtype(output.dtype) && holdsOnePerRow(output));
  if (value) {
    if (known.classes) todo.push(`outputs: drafted as a regression on "${value.name}", so the class names from ${known.classes.from} are not used`);
    return { kind: 'regression', output: value.name };
  }
  // Scores without a label (a network's logits): the label is the class with the highest score.
  if (scores || label) return draftClassifier(label, scores, known, todo);
  const listed = outputs.map((output) => `${output.name} (${describeTensor(output)})`).join(', ');
  throw cannotDraft('outputs', `no label [N] or float [N]/[N,1] output among: ${listed}`);
}

function draftClassifier(
  label: TensorSignature | undefined,
  scores: TensorSignature | undefined,
  known: DraftKnowledge,
  todo: string[],
): OutputMapping {
  const width = scores ? (scores.zipMapClasses?.length ?? scores.shape[1] ?? null) : null;
  const classes = classNames(scores, width, known.classes, todo);
  const scoreKind = scores ? draftScoreKind(scores, width, label !== undefined, known.goldenScores?.[scores.name], todo) : 'probabilities';
  return {
    kind: 'classification',
    classes,
    ...(label ? { labelOutput: label.name } : {}),
    ...(scores ? { scoresOutput: scores.name } : {}),
    scoreKind,
  };
}

function classNames(scores: TensorSignature | undefined, width: number | null, known: KnownNames | undefined, todo: string[]): string[] {
  // One score column is a binary decision function (an SVM's): two classes, scored for the positive one.
  const count = width === 1 ? 2 : (width ?? undefined);
  if (known) {
    if (scores && count !== undefined && known.names.length !== count) {
      const holds = width === 1 ? 'holds one score per row, for the second of 2 classes' : `holds ${count} scores per row`;
      throw new SpecError('draft', [
        {
          path: 'outputs.classes',
          message: `${known.from} gives ${known.names.length} class names, but ONNX output "${scores.name}" (${describeTensor(scores)}) ${holds}`,
        },
      ]);
    }
    const repeated = known.names.find((name, i) => name === '' || known.names.indexOf(name) < i);
    if (repeated !== undefined) {
      const problem = repeated === '' ? 'an empty class name' : `the class name "${repeated}" twice`;
      throw new SpecError('draft', [{ path: 'outputs.classes', message: `${known.from} gives ${problem}` }]);
    }
    return [...known.names];
  }
  const keys = scores?.zipMapClasses;
  if (keys?.every((key) => typeof key === 'string')) return keys;
  const names = arrayOf(count ?? 2, (i) => `class_${i}`);
  const howMany = count === undefined ? ': the model does not say how many classes it has, so list them all' : '';
  todo.push(
    `outputs.classes: ${range(names)} stand for the model's labels 0…${names.length - 1}, as nothing named them ` +
      `(give the names, a golden file with labels, or metadata_props "class_names" in the model): rename them in label order${howMany}`,
  );
  return names;
}

/** From the golden rows where there are some; otherwise a guess, which a todo line asks to confirm. */
function draftScoreKind(
  scores: TensorSignature,
  width: number | null,
  hasLabel: boolean,
  rows: readonly (readonly number[])[] | undefined,
  todo: string[],
): 'probabilities' | 'decision' {
  const evidence = rows && rows.length > 0 ? scoreKindEvidence(rows) : undefined;
  if (width === 1) {
    // A spec serves one score per row only as a binary decision score (predictions read classes[1] above 0).
    if (evidence === 'probabilities') {
      todo.push(
        `outputs.scoreKind: "decision", as a spec serves one score per row, but the golden rows of "${scores.name}" all lie in [0, 1]: ` +
          'if they are the probability of the second class, set "threshold": 0.5',
      );
    }
    return 'decision';
  }
  if (evidence === 'probabilities' || evidence === 'decision') return evidence;
  if (evidence === 'unknown') {
    todo.push(
      `outputs.scoreKind: "decision", as the golden rows of "${scores.name}" lie in [0, 1] but do not each sum to 1: not probabilities over the classes`,
    );
    return 'decision';
  }
  // Without a label output the scores are a network's raw output, logits more often than not.
  const guess = hasLabel ? 'probabilities' : 'decision';
  todo.push(
    `outputs.scoreKind: "${guess}" is a guess, as no golden rows show what "${scores.name}" holds: confirm it ` +
      '("probabilities" if each row sums to 1; "decision" for decision-function scores or logits)',
  );
  return guess;
}

/** x0…x3 (or just x0). */
function range(names: readonly string[]): string {
  return names.length > 1 ? `${names[0]}…${names.at(-1)}` : (names[0] ?? '');
}

/** A name as a feature name (letters, digits, _ . -; not starting with a digit), unique among `used`. */
function uniqueIdentifier(name: string, used: Set<string>): string {
  const base = name.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^(?=[^A-Za-z_])/, '_') || '_';
  let candidate = base;
  for (let n = 2; used.has(candidate); n++) candidate = `${base}_${n}`;
  used.add(candidate);
  return candidate;
}

function cannotDraft(path: string, message: string): SpecError {
  return new SpecError('draft', [{ path, message: `${message}; serve the model without a spec (raw mode)` }]);
}
