// verify-model as a process, the way `nx run <service>:verify` runs it: reports per version, exit 0/1/2.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { usage } from './verify-model';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsx = join(root, 'node_modules/tsx/dist/cli.mjs');

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A store of fixture models, each version with its golden file beside it (edited where `edit` says). */
function store(models: Record<string, string>, edit: Record<string, (json: any) => void> = {}): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  const dir = mkdtempSync(join(tmpdir(), 'verify-model-'));
  dirs.push(dir);
  for (const [model, golden] of Object.entries(models)) {
    cpSync(join(root, 'test-fixtures/models', model), join(dir, model), { recursive: true });
    const json = JSON.parse(readFileSync(join(root, 'test-fixtures/golden', `${golden}.golden.json`), 'utf8'));
    edit[model]?.(json);
    writeFileSync(join(dir, model, '1/golden.json'), JSON.stringify(json));
  }
  return dir;
}

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [tsx, 'tools/src/verify-model.ts', ...args], { cwd: root }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

const tolerance = 'tolerance 0.0001 relative, 0.000001 absolute, labels exact';

describe('verify-model', () => {
  it('verifies every version of a store folder and exits 0 when all pass', async () => {
    const dir = store({ digits: 'digits-torch', wine: 'wine-xgb' });
    const { code, stdout, stderr } = await run([dir]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.trimEnd().split('\n');
    expect(lines.map((line) => line.replace(/max abs error \S+, max rel error \S+/, 'max abs error …'))).toEqual([
      `digits:1: golden rows passed (30 rows of ${join(dir, 'digits/1/golden.json')}; ${tolerance})`,
      '  logits          ok  values: max abs error …',
      '  argmax(logits)  ok  labels: 30 compared, all equal',
      '  label (served)  ok  labels: 30 compared, all equal',
      `wine:1: golden rows passed (30 rows of ${join(dir, 'wine/1/golden.json')}; ${tolerance})`,
      '  label           ok  labels: 30 compared, all equal',
      '  probabilities   ok  values: max abs error …',
      '  label (served)  ok  labels: 30 compared, all equal',
      '2 model versions: 2 passed, 0 failed',
    ]);
  });

  it('exits 1 when golden rows fail, listing each mismatched label with row, expected and got', async () => {
    const dir = store({ wine: 'wine-xgb' }, { wine: (json) => (json.expected.label[8] = 2) });
    const { code, stdout } = await run([join(dir, 'wine/1')]);
    expect(code).toBe(1);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`wine:1: golden rows FAILED (30 rows of ${join(dir, 'wine/1/golden.json')}; ${tolerance})`);
    expect(lines).toContain('  label           FAIL  labels: 30 compared, 1 differ');
    expect(lines).toContain('      row 8: expected 2 ("class_2"), got 0 ("class_0")');
    expect(lines).toContain('      row 8: expected "class_2", got "class_0"');
    expect(lines.at(-1)).toBe('1 model version: 0 passed, 1 failed');
  });

  it('catches an export that silently disagrees with Python: TF-IDF into XGBoost fitted on a sparse matrix', async () => {
    const { code, stdout } = await run(['test-fixtures/broken-models/xgb-sparse']);
    expect(code).toBe(1);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toContain('  label           FAIL  labels: 50 compared, 26 differ');
    expect(lines).toContain('      row 0: expected 1 ("positive"), got 0 ("negative")');
    expect(lines.at(-1)).toBe('1 model version: 0 passed, 1 failed');
  });

  it('exits 2 for a golden file that is not one, naming the field', async () => {
    const dir = store({ digits: 'digits-torch' }, { digits: (json) => json.rows[3].pop() });
    const { code, stdout } = await run([join(dir, 'digits')]);
    expect(code).toBe(2);
    expect(stdout.trimEnd().split('\n')).toEqual([
      `digits:1: ${join(dir, 'digits/1/golden.json')}: rows[3]: 63 values, features has 64`,
      '1 model version: 0 passed, 0 failed, 1 could not be read',
    ]);
  });

  it('exits 2 with the usage for no path, and for a path that is not a folder', async () => {
    expect(await run([])).toEqual({ code: 2, stdout: '', stderr: `${usage}\n` });
    const missing = await run(['no/such/folder']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("no/such/folder: ENOENT: no such file or directory, scandir 'no/such/folder'\n");
  });
});
