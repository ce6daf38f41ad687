import { fileURLToPath } from 'node:url';
import { type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { parseModelSpec } from '@onnx-serve/feature-spec';
import { beforeEach, describe, expect, it } from 'vitest';
import { modelGenerator, planModel, versionOption } from './generator';

const fixtures = fileURLToPath(new URL('../../../../test-fixtures/', import.meta.url));
const digits = `${fixtures}models/digits/1/model.onnx`;
const digitsGolden = `${fixtures}golden/digits-torch.golden.json`;
const iris = `${fixtures}models/iris/1/model.onnx`;

let tree: Tree;
let initial: string[];
beforeEach(() => {
  tree = createTreeWithEmptyWorkspace();
  initial = tree.listChanges().map((change) => change.path);
  tree.write('services/fraud/service.json', '{}');
});

/** What the test wrote into the tree after the empty workspace's own files. */
const changedPaths = () => tree.listChanges().map((change) => change.path).filter((path) => !initial.includes(path)).sort();
const read = (path: string) => JSON.parse(tree.read(path, 'utf8')!);

describe('model generator', () => {
  it('copies the model with its external data file and golden file, and drafts a spec that parses', async () => {
    await modelGenerator(tree, { model: 'digits', service: 'fraud', onnx: digits, golden: digitsGolden });
    const dir = 'services/fraud/models/digits/1';
    expect(changedPaths()).toEqual([
      'services/fraud/models/digits/1/digits-torch.onnx.data',
      'services/fraud/models/digits/1/golden.json',
      'services/fraud/models/digits/1/model.onnx',
      'services/fraud/models/digits/1/spec.json',
      'services/fraud/service.json',
    ]);
    const spec = parseModelSpec(read(`${dir}/spec.json`), 'spec.json');
    // Feature and class names from the golden file; the logits scored as decision values.
    expect(spec.features.slice(0, 2)).toEqual([{ name: 'pixel_0_0', type: 'number' }, { name: 'pixel_0_1', type: 'number' }]);
    expect(spec.features).toHaveLength(64);
    expect(spec.outputs).toEqual({
      kind: 'classification',
      classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      scoresOutput: 'logits',
      scoreKind: 'decision',
    });
    expect(read(`${dir}/golden.json`).expected_argmax).toEqual(JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile(digitsGolden, 'utf8'))).expected_argmax);
  });

  it('names the features given, and lists what is left to edit', async () => {
    const plan = await planModel(tree, { model: 'iris', service: 'fraud', onnx: iris, features: 'sl,sw,pl,pw', classes: 'a,b,c' });
    const spec = JSON.parse(plan.files.find((f) => f.path.endsWith('spec.json'))!.content as string);
    expect(spec.features.map((feature: { name: string }) => feature.name)).toEqual(['sl', 'sw', 'pl', 'pw']);
    expect(spec.inputs).toEqual({ kind: 'matrix', input: 'X', dtype: 'float32' });
    expect(spec.outputs.classes).toEqual(['a', 'b', 'c']);
    expect(plan.todo).toEqual([
      'outputs.scoreKind: "probabilities" is a guess, as no golden rows show what "output_probability" holds: confirm it ("probabilities" if each row sums to 1; "decision" for decision-function scores or logits)',
      'description: say what the model predicts, from what',
      'features: give each a description, and a unit, minimum, maximum and example where they apply',
      'golden.json: add the rows and what Python predicted for them (see the README), so verify replays them',
    ]);
  });

  it('adds a new version only when asked for it', async () => {
    await modelGenerator(tree, { model: 'iris', service: 'fraud', onnx: iris });
    await expect(modelGenerator(tree, { model: 'iris', service: 'fraud', onnx: iris })).rejects.toThrow(
      'services/fraud/models/iris has version 1 already: pass --version=2 to add one',
    );
    await modelGenerator(tree, { model: 'iris', service: 'fraud', onnx: iris, version: '2' });
    expect(tree.exists('services/fraud/models/iris/2/model.onnx')).toBe(true);
    await expect(modelGenerator(tree, { model: 'iris', service: 'fraud', onnx: iris, version: '2' })).rejects.toThrow(
      'services/fraud/models/iris/2 exists already: versions are never overwritten',
    );
  });

  it.each([
    [{ model: 'iris', service: 'nope', onnx: iris }, '--service=nope: no such service (no services/nope/service.json; create one with npx nx g @onnx-serve/plugin:service)'],
    [{ model: 'my model', service: 'fraud', onnx: iris }, `"my model" is not a model name: letters, digits, '.', '_' or '-', starting with a letter or digit, at most 64 characters`],
    [{ model: 'iris', service: 'fraud', onnx: '/no/such/model.onnx' }, '--onnx=/no/such/model.onnx: cannot read it (ENOENT)'],
    [{ model: 'iris', service: 'fraud', onnx: digitsGolden }, `--onnx=${digitsGolden}: not an ONNX model`],
    [{ model: 'iris', service: 'fraud', onnx: iris, version: 'v2' }, '--version=v2: a positive whole number'],
    [{ model: 'iris', service: 'fraud', onnx: iris, features: 'a,b' }, 'the features option gives 2 feature names, but ONNX input "X" (float32 [N,4]) has 4 columns'],
  ])('refuses %j and writes nothing', async (options, message) => {
    const before = changedPaths();
    await expect(modelGenerator(tree, options)).rejects.toThrow(message);
    expect(changedPaths()).toEqual(before);
  });
});

describe('versionOption', () => {
  it("reads the value that nx's own boolean --version flag swallowed from the command line", () => {
    expect(versionOption(false, ['node', 'nx', 'g', 'model', '--version=3'])).toBe('3');
    expect(versionOption(false, ['node', 'nx', 'g', 'model', '--version', '4'])).toBe('4');
    expect(versionOption('5', [])).toBe('5');
    expect(versionOption(undefined, [])).toBeUndefined();
    expect(() => versionOption(true, ['node', 'nx', '--version'])).toThrow('--version needs a value: --version=<N>');
  });
});
