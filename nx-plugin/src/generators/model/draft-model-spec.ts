// A stand-in, of the same signature, for libs/inference's draftModelSpec (being written beside this): drafts a
// spec.json from the model's real ONNX signature over today's draftSpecFromSignature, with the feature and
// class names given or read from the golden file, and lists what a person still has to write. When that lands,
// the model generator imports it from @onnx-serve/inference instead and this file goes.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { draftSpecFromSignature, type ModelSignature, type ModelSpec } from '@onnx-serve/feature-spec';
import { loadModel } from '@onnx-serve/inference';

export interface DraftOptions {
  features?: string[];
  classes?: string[];
  /** A golden file (path): its `features` and `labels` name the columns and classes when not given. */
  golden?: string;
}

export async function draftModelSpec(modelPath: string, options: DraftOptions = {}): Promise<{ spec: ModelSpec; todo: string[] }> {
  const golden = options.golden ? (JSON.parse(await readFile(options.golden, 'utf8')) as { features?: string[]; labels?: unknown[] }) : {};
  const features = options.features ?? golden.features;
  const classes = options.classes ?? golden.labels?.map(String);
  const model = await loadModel({ name: basename(modelPath, '.onnx'), version: '1', modelPath });
  try {
    const todo: string[] = [];
    const spec = draft(model.signature, classes);
    if (features) renameFeatures(spec, features);
    else todo.push(`rename the features ${spec.features.map((f) => f.name).join(', ')} to your columns, in the model's input order`);
    todo.push('describe each feature: description, unit, minimum/maximum or enum, maxLength for text; a default only where one is truly safe');
    if (spec.outputs.kind === 'classification' && !classes) todo.push(`name the classes (${spec.outputs.classes.join(', ')}), in the model's score order`);
    if (!options.golden) todo.push('add a golden.json (rows and the expected outputs) so verify replays it');
    return { spec, todo };
  } finally {
    await model.release();
  }
}

function draft(signature: ModelSignature, classes: string[] | undefined): ModelSpec {
  // One float [N,k] output and nothing else (a PyTorch classifier's logits): today's drafter sees no label output.
  const [only] = signature.outputs;
  if (classes && signature.outputs.length === 1 && only?.shape.length === 2 && only.shape[1] === classes.length) {
    // Its inputs are drafted as usual (the output drafted here as [N,1] is replaced): decision scores, argmax as label.
    const drafted = draftSpecFromSignature({ ...signature, outputs: [{ ...only, shape: [only.shape[0] ?? null, 1] }] });
    return { ...drafted, outputs: { kind: 'classification', classes, scoresOutput: only.name, scoreKind: 'decision' } };
  }
  const spec = draftSpecFromSignature(signature);
  if (classes && spec.outputs.kind === 'classification') {
    if (classes.length !== spec.outputs.classes.length) {
      throw new Error(`--classes names ${classes.length} classes; the model scores ${spec.outputs.classes.length}`);
    }
    spec.outputs = { ...spec.outputs, classes };
  }
  return spec;
}

function renameFeatures(spec: ModelSpec, names: string[]): void {
  if (names.length !== spec.features.length) {
    throw new Error(`--features names ${names.length} features; the model's inputs take ${spec.features.length}`);
  }
  const renamed = new Map(spec.features.map((feature, i) => [feature.name, names[i] ?? feature.name]));
  spec.features = spec.features.map((feature) => ({ ...feature, name: renamed.get(feature.name) ?? feature.name }));
  if (spec.inputs.kind === 'matrix') spec.inputs = { ...spec.inputs, columns: spec.inputs.columns.map((c) => renamed.get(c) ?? c) };
  else spec.inputs = { ...spec.inputs, tensors: spec.inputs.tensors.map((t) => ({ ...t, feature: renamed.get(t.feature) ?? t.feature })) };
}
