import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GoldenFile, type ModelSpec, SpecError, parseGoldenFile } from '@onnx-serve/feature-spec';
import { afterEach, describe, expect, it } from 'vitest';
import { draftModelSpec } from './draft-model-spec';
import { ModelLoadError } from './errors';
import { type LoadedModel, loadModel } from './load-model';
import { ModelField, StringStringEntryField } from './onnx/onnx-proto';
import { bytesField, concatBytes, stringField } from './onnx/protobuf-wire';
import { bundled, bundledRef, modelsDir, removeTempStores, tempStore, workspaceRoot } from './testing/fixtures';

afterEach(removeTempStores);

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const readGolden = (stem: string): GoldenFile => {
  const path = `${workspaceRoot}test-fixtures/golden/${stem}.golden.json`;
  return parseGoldenFile(readJson(path), path);
};
const closing = [
  'description: say what the model predicts, from what',
  'features: give each a description, and a unit, minimum, maximum and example where they apply',
];
const irisFeatures = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
const irisGolden = () => readGolden('iris-gb-zipmap');

/** The model's bytes with metadata_props entries appended: protobuf does not mind where a field stands. */
function withMetadataProps(model: Uint8Array, props: Record<string, string>): Uint8Array {
  const entries = Object.entries(props).map(([key, value]) =>
    bytesField(ModelField.metadataProps, concatBytes([stringField(StringStringEntryField.key, key), stringField(StringStringEntryField.value, value)])),
  );
  return concatBytes([model, ...entries]);
}

/** The model as the server loads it: the files in a store version folder beside the drafted spec.json (released). */
async function loadDrafted(files: Record<string, Uint8Array>, spec: ModelSpec): Promise<LoadedModel> {
  const dir = tempStore({ ...Object.fromEntries(Object.entries(files).map(([name, bytes]) => [`m/1/${name}`, bytes])), 'm/1/spec.json': JSON.stringify(spec) });
  const model = await loadModel({ name: 'm', version: '1', modelPath: join(dir, 'm/1/model.onnx'), specPath: join(dir, 'm/1/spec.json') });
  await model.release();
  return model;
}

/** iris saved with the given metadata_props; returns its path. */
function irisWithMetadata(props: Record<string, string>): string {
  const dir = tempStore({ 'iris.onnx': withMetadataProps(readFileSync(bundledRef('iris').modelPath), props) });
  return join(dir, 'iris.onnx');
}

describe('draftModelSpec', () => {
  // wine's golden file names a column with a slash, which the draft renames: its own test below says so.
  it.each(Object.entries(bundled).filter(([name]) => name !== 'wine'))('drafts %s with its golden file as its spec.json maps it, leaving only the prose', async (name, stem) => {
    const committed = readJson(`${modelsDir}/${name}/1/spec.json`) as { features: { name: string; type: string }[] };
    const { spec, todo } = await draftModelSpec(`${modelsDir}/${name}/1/model.onnx`, {
      golden: readGolden(stem),
    });
    expect(spec).toEqual({
      ...committed,
      description: 'Drafted from the ONNX model: describe what it predicts.',
      features: committed.features.map(({ name, type }) => ({ name, type })),
    });
    expect(todo).toEqual(closing);
  });

  it('names an XGBoost matrix from the golden file, making a feature name of a column with a slash', async () => {
    const golden = readGolden('wine-xgb');
    const { spec, todo } = await draftModelSpec(`${modelsDir}/wine/1/model.onnx`, { golden });
    expect(spec.features.map((feature) => feature.name)).toEqual(golden.features!.map((name) => name.replace('/', '_')));
    expect(spec.inputs).toEqual({ kind: 'matrix', input: 'float_input', dtype: 'float32' });
    expect(spec.outputs).toEqual({
      kind: 'classification',
      classes: ['class_0', 'class_1', 'class_2'],
      labelOutput: 'label',
      scoresOutput: 'probabilities',
      scoreKind: 'probabilities',
    });
    expect(todo).toEqual([
      'features[11]: "od280/od315_of_diluted_wines" (from the golden file) is named "od280_od315_of_diluted_wines": a feature name is unique and holds only letters, digits, _ . -',
      ...closing,
    ]);
    expect((await loadDrafted({ 'model.onnx': readFileSync(`${modelsDir}/wine/1/model.onnx`) }, spec)).spec).toEqual(spec);
  });

  it('drafts a PyTorch export with external data: logits as decision scores, a spec the loader accepts', async () => {
    const golden = readGolden('digits-torch');
    const { spec, todo } = await draftModelSpec(`${modelsDir}/digits/1/model.onnx`, { golden });
    expect(spec.features).toEqual(golden.features!.map((name) => ({ name, type: 'number' })));
    expect(spec.outputs).toEqual({ kind: 'classification', classes: golden.labels, scoresOutput: 'logits', scoreKind: 'decision' });
    expect(todo).toEqual(closing);
    const files = { 'model.onnx': readFileSync(`${modelsDir}/digits/1/model.onnx`), 'digits-torch.onnx.data': readFileSync(`${modelsDir}/digits/1/digits-torch.onnx.data`) };
    expect((await loadDrafted(files, spec)).spec).toEqual(spec);
  });

  it('reads names from metadata_props written at export: a JSON array, or names separated by commas', async () => {
    const modelPath = irisWithMetadata({ feature_names: JSON.stringify(irisFeatures), class_names: 'setosa, versicolor,virginica' });
    const { spec, todo } = await draftModelSpec(modelPath);
    expect(spec.features.map((feature) => feature.name)).toEqual(irisFeatures);
    expect(spec.outputs).toMatchObject({ classes: ['setosa', 'versicolor', 'virginica'] });
    expect(todo).toEqual([
      'outputs.scoreKind: "probabilities" is a guess, as no golden rows show what "output_probability" holds: confirm it ("probabilities" if each row sums to 1; "decision" for decision-function scores or logits)',
      ...closing,
    ]);
  });

  it('prefers names given to the golden file\'s, and the golden file\'s to the metadata\'s', async () => {
    const modelPath = irisWithMetadata({ feature_names: 'm0,m1,m2,m3', class_names: '[0, 1, 2]' });
    const fromMetadata = await draftModelSpec(modelPath);
    expect(fromMetadata.spec.features.map((feature) => feature.name)).toEqual(['m0', 'm1', 'm2', 'm3']);
    expect(fromMetadata.spec.outputs).toMatchObject({ classes: ['0', '1', '2'] });
    const fromGolden = await draftModelSpec(modelPath, { golden: irisGolden() });
    expect(fromGolden.spec.features.map((feature) => feature.name)).toEqual(irisFeatures);
    expect(fromGolden.spec.outputs).toMatchObject({ classes: ['setosa', 'versicolor', 'virginica'] });
    const given = await draftModelSpec(modelPath, { golden: irisGolden(), features: ['a', 'b', 'c', 'd'], classes: ['x', 'y', 'z'] });
    expect(given.spec.features.map((feature) => feature.name)).toEqual(['a', 'b', 'c', 'd']);
    expect(given.spec.outputs).toMatchObject({ classes: ['x', 'y', 'z'] });
  });

  it('refuses names that do not fit the model, and a metadata value it cannot read', async () => {
    const iris = bundledRef('iris').modelPath;
    const issues = async (drafting: Promise<unknown>) => {
      const error = await drafting.then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(SpecError);
      return (error as SpecError).issues;
    };
    expect(await issues(draftModelSpec(iris, { features: ['a', 'b', 'c'] }))).toEqual([
      { path: 'features', message: 'the features option gives 3 feature names, but ONNX input "X" (float32 [N,4]) has 4 columns' },
    ]);
    expect(await issues(draftModelSpec(irisWithMetadata({ class_names: '["a", "b"' })))).toEqual([
      { path: 'metadata_props.class_names', message: 'must be a JSON array of names or names separated by commas, got ["a", "b"' },
    ]);
    expect(await issues(draftModelSpec(irisWithMetadata({ class_names: 'a,b' })))).toEqual([
      {
        path: 'outputs.classes',
        message: 'metadata_props "class_names" gives 2 class names, but ONNX output "output_probability" (float32 [N,3]) holds 3 scores per row',
      },
    ]);
  });

  it('rejects with the loader\'s error for a file that is not a model', async () => {
    const modelPath = join(tempStore({ 'notes.onnx': 'not a model' }), 'notes.onnx');
    await expect(draftModelSpec(modelPath)).rejects.toThrow(ModelLoadError);
  });
});

describe('draftModelSpec with golden rows that leave values empty', () => {
  it('feeds a loans pipeline\'s empty numbers as NaN and its empty categories as the "" marker, each a todo line', async () => {
    const { spec, todo } = await draftModelSpec(`${modelsDir}/loans-mixed/1/model.onnx`, { golden: readGolden('loans-mixed') });
    expect(spec.features.map(({ name, missing, default: fallback }) => [name, missing ?? fallback ?? null])).toEqual([
      ['annual_income', 'nan'],
      ['loan_amount', 'nan'],
      ['debt_to_income', 'nan'],
      ['credit_score', 'nan'],
      ['employment_years', 'nan'],
      ['home_ownership', ''],
      ['loan_purpose', ''],
      ['term', null],
    ]);
    expect(todo.filter((line) => line.includes('golden rows leave it empty'))).toHaveLength(7);
    expect(todo).toContain(
      'features.home_ownership: the golden rows leave it empty, so a missing value is sent as "" ("default"): check that is the marker the pipeline was trained with (skl2onnx: SimpleImputer(missing_values=""))',
    );
  });

  it('marks only the matrix columns the rows leave empty (a LightGBM model routes NaN itself)', async () => {
    const { spec, todo } = await draftModelSpec(`${modelsDir}/cars-lgbm/1/model.onnx`, { golden: readGolden('cars-lgbm') });
    expect(spec.features.filter((feature) => feature.missing === 'nan').map((feature) => feature.name)).toEqual(['mileage_km', 'previous_owners']);
    expect(todo).toContain(
      'features.mileage_km: the golden rows leave it empty, so a missing value is fed as NaN ("missing": "nan"): keep that only if the graph imputes it or the model routes NaN itself (LightGBM, XGBoost)',
    );
  });
});
