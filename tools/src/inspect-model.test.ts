import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadModel } from '@onnx-serve/inference';
import { afterEach, describe, expect, it } from 'vitest';
import { main, usage } from './inspect-model';

const root = fileURLToPath(new URL('../../', import.meta.url));
const irisPath = join(root, 'test-fixtures/models/iris/1/model.onnx');
const irisGolden = join(root, 'test-fixtures/golden/iris-gb-zipmap.golden.json');
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const closing = [
  '  - description: say what the model predicts, from what',
  '  - features: give each a description, and a unit, minimum, maximum and example where they apply',
];

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'inspect-model-'));
  dirs.push(dir);
  return dir;
}

async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (line) => out.push(line), (line) => err.push(line));
  return { code, out, err };
}

/** The printed draft spec and the lines after it, split where the CLI prints its headings. */
function printedDraft(out: string[]): { spec: Record<string, unknown>; todo: string[] } {
  const start = out.indexOf('draft spec (save it as spec.json next to model.onnx, then edit it):');
  const end = out.indexOf('left to edit:');
  return { spec: JSON.parse(out.slice(start + 1, end).join('\n')) as Record<string, unknown>, todo: out.slice(end + 1) };
}

describe('inspect-model', () => {
  it('prints the patched signature of the iris ZipMap export, what was patched, a draft spec and what is left to edit', async () => {
    const { code, out, err } = await run([irisPath]);
    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(out.slice(0, 9)).toEqual([
      `model: ${irisPath}`,
      `sha256: ${sha256(irisPath)}`,
      'inputs:',
      '  X  float32 [N,4]',
      'outputs:',
      '  output_label  int64 [N]',
      '  output_probability  float32 [N,3]  (ZipMap classes: 0, 1, 2)',
      'patches (applied at load):',
      '  output_probability: ZipMap served as a float32 [N,3] tensor',
    ]);
    const { spec, todo } = printedDraft(out);
    expect(spec['inputs']).toEqual({ kind: 'matrix', input: 'X', dtype: 'float32' });
    expect(spec['features']).toEqual(['x0', 'x1', 'x2', 'x3'].map((name) => ({ name, type: 'number' })));
    expect(spec['outputs']).toEqual({
      kind: 'classification',
      classes: ['class_0', 'class_1', 'class_2'],
      labelOutput: 'output_label',
      scoresOutput: 'output_probability',
      scoreKind: 'probabilities',
    });
    expect(todo).toEqual([
      '  - features: x0…x3 stand for the 4 columns of ONNX input "X", as nothing named them (give the names, a golden file with features, or metadata_props "feature_names" in the model): rename them in column order',
      '  - outputs.classes: class_0…class_2 stand for the model\'s labels 0…2, as nothing named them (give the names, a golden file with labels, or metadata_props "class_names" in the model): rename them in label order',
      '  - outputs.scoreKind: "probabilities" is a guess, as no golden rows show what "output_probability" holds: confirm it ("probabilities" if each row sums to 1; "decision" for decision-function scores or logits)',
      ...closing,
    ]);
  });

  it('writes a spec named from the golden file, which the server then accepts for that model', async () => {
    const dir = join(tempDir(), 'iris/1');
    mkdirSync(dir, { recursive: true });
    copyFileSync(irisPath, join(dir, 'model.onnx'));
    const specPath = join(dir, 'spec.json');
    const { code, out } = await run([irisPath, '--golden', irisGolden, '--write', specPath]);
    expect(code).toBe(0);
    expect(out.slice(-4)).toEqual([`draft spec written to ${specPath}`, 'left to edit:', ...closing]);
    const model = await loadModel({ name: 'iris', version: '1', modelPath: join(dir, 'model.onnx'), specPath });
    await model.release();
    expect(model.spec?.features.map((f) => f.name)).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    expect(model.spec?.outputs).toMatchObject({ classes: ['setosa', 'versicolor', 'virginica'], scoreKind: 'probabilities' });
  });

  it('names features and classes from --features and --classes, before the golden file', async () => {
    const { code, out } = await run([irisPath, '--features', 'a, b,c,d', '--classes', 'x,y,z', '--golden', irisGolden]);
    expect(code).toBe(0);
    const { spec } = printedDraft(out);
    expect(spec['features']).toEqual(['a', 'b', 'c', 'd'].map((name) => ({ name, type: 'number' })));
    expect(spec['outputs']).toMatchObject({ classes: ['x', 'y', 'z'] });
  });

  it('exits 1 when the names given do not fit the model, naming both counts', async () => {
    const { code, out } = await run([irisPath, '--features', 'a,b']);
    expect(code).toBe(1);
    expect(out.at(-1)).toBe(
      'no spec can be drafted: draft: features: the features option gives 2 feature names, but ONNX input "X" (float32 [N,4]) has 4 columns',
    );
  });

  it('refuses to overwrite an existing spec.json', async () => {
    const specPath = join(tempDir(), 'spec.json');
    writeFileSync(specPath, '{"edited": true}');
    expect(await run([irisPath, '--write', specPath])).toEqual({
      code: 1,
      out: [],
      err: [`${specPath} exists: not overwriting a spec that may hold edits`],
    });
    expect(readFileSync(specPath, 'utf8')).toBe('{"edited": true}');
  });

  it('exits 2 with the usage on bad arguments', async () => {
    expect(await run([])).toEqual({ code: 2, out: [], err: [usage] });
    expect(await run([irisPath, '--out', 'x.json'])).toEqual({ code: 2, out: [], err: [usage] });
    expect(await run([irisPath, 'other.onnx'])).toEqual({ code: 2, out: [], err: [usage] });
    expect(await run([irisPath, '--features'])).toEqual({ code: 2, out: [], err: [usage] });
  });

  it('exits 1 naming a model file or a golden file that cannot be read', async () => {
    const missing = join(tempDir(), 'missing.onnx');
    const { code, err } = await run([missing]);
    expect(code).toBe(1);
    expect(err[0]).toMatch(`model missing:1 (${missing}): cannot read the model file: ENOENT`);
    const notJson = join(tempDir(), 'golden.json');
    writeFileSync(notJson, '{ "rows": [');
    const golden = await run([irisPath, '--golden', notJson]);
    expect(golden.code).toBe(1);
    expect(golden.err[0]).toMatch(`cannot read the golden file ${notJson}: `);
  });

  it('runs as a CLI process: the sentiment model, its StringNormalizer patched, drafted from its golden file', async () => {
    const tsx = join(root, 'node_modules/tsx/dist/cli.mjs');
    const modelPath = join(root, 'test-fixtures/models/sentiment/1/model.onnx');
    const golden = join(root, 'test-fixtures/golden/sentiment-svc.golden.json');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [tsx, '--tsconfig', 'tsconfig.base.json', 'tools/src/inspect-model.ts', modelPath, '--golden', golden],
      { cwd: root },
    );
    const lines = stdout.trimEnd().split('\n');
    expect(lines.slice(2, 9)).toEqual([
      'inputs:',
      '  review_text  string [N,1]',
      'outputs:',
      '  label  int64 [N]',
      '  probabilities  float32 [N,1]',
      'patches (applied at load):',
      '  StringNormalizer "StringNormalizer": locale set to C.UTF-8 (the export named none)',
    ]);
    const { spec, todo } = printedDraft(lines);
    expect(spec['inputs']).toEqual({ kind: 'per-feature', tensors: [{ feature: 'review_text', dtype: 'string' }] });
    expect(spec['outputs']).toEqual({
      kind: 'classification',
      classes: ['negative', 'positive'],
      labelOutput: 'label',
      scoresOutput: 'probabilities',
      scoreKind: 'decision',
    });
    expect(todo).toEqual(closing);
  });

  it('exits 1 as a process when a draft asked for cannot be made', async () => {
    const tsx = join(root, 'node_modules/tsx/dist/cli.mjs');
    const failed = await promisify(execFile)(
      process.execPath,
      [tsx, '--tsconfig', 'tsconfig.base.json', 'tools/src/inspect-model.ts', irisPath, '--classes', 'a,b'],
      { cwd: root },
    ).then(
      () => undefined,
      (error: unknown) => error as { code: number; stdout: string },
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout.trimEnd().split('\n').at(-1)).toBe(
      'no spec can be drafted: draft: outputs.classes: the classes option gives 2 class names, but ONNX output "output_probability" (float32 [N,3]) holds 3 scores per row',
    );
  });
});
