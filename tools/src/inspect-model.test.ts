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
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

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

describe('inspect-model', () => {
  it('prints the patched signature of the iris ZipMap export, what was patched, and a draft spec', async () => {
    const { code, out, err } = await run([irisPath]);
    expect({ code, err }).toEqual({ code: 0, err: [] });
    const draftAt = out.indexOf('draft spec (save it as spec.json next to model.onnx, then edit it):');
    expect(out.slice(0, draftAt)).toEqual([
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
    const draft = JSON.parse(out.slice(draftAt + 1).join('\n')) as Record<string, unknown>;
    expect(draft['inputs']).toEqual({ kind: 'matrix', input: 'X', dtype: 'float32' });
    expect(draft['outputs']).toEqual({
      kind: 'classification',
      classes: ['class_0', 'class_1', 'class_2'],
      labelOutput: 'output_label',
      scoresOutput: 'output_probability',
      scoreKind: 'probabilities',
    });
  });

  it('writes a draft spec that the server then accepts for that model', async () => {
    const dir = join(tempDir(), 'iris/1');
    mkdirSync(dir, { recursive: true });
    copyFileSync(irisPath, join(dir, 'model.onnx'));
    const specPath = join(dir, 'spec.json');
    const { code, out } = await run([irisPath, '--write', specPath]);
    expect(code).toBe(0);
    expect(out.at(-1)).toBe(`draft spec written to ${specPath}: rename features and classes, add descriptions and bounds`);
    const model = await loadModel({ name: 'iris', version: '1', modelPath: join(dir, 'model.onnx'), specPath });
    expect(model.spec?.features.map((f) => f.name)).toEqual(['x0', 'x1', 'x2', 'x3']);
    await model.release();
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
  });

  it('exits 1 naming a model file that cannot be read', async () => {
    const missing = join(tempDir(), 'missing.onnx');
    const { code, err } = await run([missing]);
    expect(code).toBe(1);
    expect(err[0]).toMatch(`model missing:1 (${missing}): cannot read the model file: ENOENT`);
  });

  it('runs as a CLI process: the sentiment model needs its StringNormalizer locale patched', async () => {
    const tsx = join(root, 'node_modules/tsx/dist/cli.mjs');
    const modelPath = join(root, 'test-fixtures/models/sentiment/1/model.onnx');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [tsx, '--tsconfig', 'tsconfig.base.json', 'tools/src/inspect-model.ts', modelPath],
      { cwd: root },
    );
    const lines = stdout.split('\n');
    expect(lines.slice(2, 9)).toEqual([
      'inputs:',
      '  review_text  string [N,1]',
      'outputs:',
      '  label  int64 [N]',
      '  probabilities  float32 [N,1]',
      'patches (applied at load):',
      '  StringNormalizer "StringNormalizer": locale set to C.UTF-8 (the export named none)',
    ]);
    expect(stdout).toContain('"scoreKind": "decision"');
  });
});
