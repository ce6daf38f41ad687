// The bundled spec.json files against their models' signatures, and the golden rows through the whole pure path:
// named instances → validator → tensors (as the golden inputs), golden outputs → predictions (as the golden labels).
import { describe, expect, it } from 'vitest';
import {
  checkSpecAgainstSignature,
  createFeatureValidator,
  exampleInstance,
  readPredictions,
  toBatchInputs,
  type ModelSpec,
  type TensorMap,
} from '../src/index';
import { matrixColumns, tensorInput } from '../src/input-mapping';
import { at, exampleModels, loadGolden, loadSpec, specPath } from './example-models';

/** The spec's features in the order its tensors take them (the model's column or input order). */
function inputOrder(spec: ModelSpec): string[] {
  return spec.inputs.kind === 'matrix' ? matrixColumns(spec.features, spec.inputs) : spec.inputs.tensors.map((tensor) => tensor.feature);
}

describe.each(exampleModels)('bundled model $name', ({ name, golden, signature }) => {
  const spec = loadSpec(name);
  const { rows, expected, features, inputs, input } = loadGolden(golden);
  // The golden rows' columns, as Python wrote them: the named columns, else the ONNX inputs they feed.
  const columns = features ?? inputs?.map((tensor) => tensor.name) ?? [at(input ? [input.name] : [], 0)];
  const instances = rows.map((row) => Object.fromEntries(columns.map((feature, i) => [feature, row[i]])));

  it(`parses ${specPath(name)} and fits the model's signature`, () => {
    expect(() => checkSpecAgainstSignature(spec, signature, specPath(name))).not.toThrow();
  });

  it("feeds the features in the golden rows' column order", () => {
    expect(inputOrder(spec)).toEqual(columns);
  });

  it('turns the golden rows, sent as named features, into the golden input tensors', () => {
    const { rows: valid, defaulted } = createFeatureValidator(spec)({ instances });
    expect(defaulted).toEqual(rows.map(() => []));
    const feeds = toBatchInputs(spec, valid);
    if (spec.inputs.kind === 'matrix') {
      expect(feeds).toEqual({
        [spec.inputs.input]: { dtype: 'float32', dims: [rows.length, columns.length], data: new Float32Array(rows.flat() as number[]) },
      });
    } else {
      expect(feeds).toEqual(
        Object.fromEntries(
          spec.inputs.tensors.map((tensor, j) => [tensorInput(tensor), { dtype: 'string', dims: [rows.length, 1], data: rows.map((row) => row[j]) }]),
        ),
      );
    }
  });

  it('reads the golden outputs back as the golden labels and scores', () => {
    // The tensors exactly as onnxruntime-node returns them: float32 scores, int64 labels as BigInt64Array.
    const outputs: TensorMap = {};
    for (const { name: output, dtype } of signature.outputs) {
      const flat = (expected[output] ?? []).flat();
      outputs[output] =
        dtype === 'int64'
          ? { dtype, dims: [rows.length], data: BigInt64Array.from(flat, BigInt) }
          : { dtype: 'float32', dims: [rows.length, flat.length / rows.length], data: new Float32Array(flat) };
    }
    const predictions = readPredictions(spec, outputs, rows.length);
    const { outputs: mapping } = spec;
    if (mapping.kind === 'regression') {
      const values = (expected[mapping.output] ?? []).flat();
      expect(predictions).toEqual(values.map((value) => ({ value: Math.fround(value) })));
      return;
    }
    const labels = expected[mapping.labelOutput ?? ''] as number[];
    const scores = expected[mapping.scoresOutput ?? ''] as number[][];
    const key = mapping.scoreKind === 'decision' ? 'scores' : 'probabilities';
    // A one-column decision function scores only the positive class (classes[1]).
    const scored = at(scores, 0).length === 1 ? mapping.classes.slice(1) : mapping.classes;
    expect(predictions).toEqual(
      labels.map((label, i) => ({
        label: at(mapping.classes, label),
        [key]: Object.fromEntries(scored.map((cls, j) => [cls, Math.fround(at(at(scores, i), j))])),
      })),
    );
  });

  it('accepts its own example instance', () => {
    const validate = createFeatureValidator(spec);
    expect(validate(exampleInstance(spec)).rows).toEqual([exampleInstance(spec)]);
  });
});
