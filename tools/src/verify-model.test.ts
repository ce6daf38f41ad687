// verify-model as a process, the way `nx run <service>:verify` runs it: reports per version, exit 0/1/2.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serveStore, type ServedStore } from './serve-store';
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

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const options = { cwd: root, env: { ...process.env, API_KEY: '', ...env } };
    execFile(process.execPath, [tsx, 'tools/src/verify-model.ts', ...args], options, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

/** A local port nothing listens on (it was free a moment ago). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const tolerance = 'tolerance 0.0001 relative, 0.000001 absolute, labels exact';
const errors = (lines: string[]) => lines.map((line) => line.replace(/max abs error \S+, max rel error \S+/, 'max abs error …'));

describe('verify-model', () => {
  it('verifies every version of a store folder and exits 0 when all pass', async () => {
    const dir = store({ digits: 'digits-torch', wine: 'wine-xgb' });
    const { code, stdout, stderr } = await run([dir]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.trimEnd().split('\n');
    expect(errors(lines)).toEqual([
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

describe('verify-model --serve', () => {
  it('starts the server on the store, replays every golden row over HTTP (nulls as JSON null), stops it and exits 0', async () => {
    const dir = store({ digits: 'digits-torch', wine: 'wine-xgb', 'loans-mixed': 'loans-mixed' });
    // A model served raw (no spec): its rows are the input's, its answers keyed by ONNX output.
    cpSync(join(dir, 'wine'), join(dir, 'wine-raw'), { recursive: true });
    rmSync(join(dir, 'wine-raw/1/spec.json'));
    const { code, stdout, stderr } = await run(['--serve', dir]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^golden rows over HTTP: ${dir} served at http://127\\.0\\.0\\.1:\\d+$`));
    expect(errors(lines.slice(1))).toEqual([
      `digits:1: golden rows passed (30 rows of ${join(dir, 'digits/1/golden.json')}; ${tolerance})`,
      '  logits          ok  values: max abs error …',
      '  argmax(logits)  ok  labels: 30 compared, all equal',
      '  label (served)  ok  labels: 30 compared, all equal',
      `loans-mixed:1: golden rows passed (32 rows of ${join(dir, 'loans-mixed/1/golden.json')}; ${tolerance})`,
      '  output_label        ok  labels: 32 compared, all equal',
      '  output_probability  ok  values: max abs error …',
      '  label (served)      ok  labels: 32 compared, all equal',
      `wine:1: golden rows passed (30 rows of ${join(dir, 'wine/1/golden.json')}; ${tolerance})`,
      '  label           ok  labels: 30 compared, all equal',
      '  probabilities   ok  values: max abs error …',
      '  label (served)  ok  labels: 30 compared, all equal',
      `wine-raw:1: golden rows passed (30 rows of ${join(dir, 'wine-raw/1/golden.json')}; ${tolerance})`,
      '  label          ok  labels: 30 compared, all equal',
      '  probabilities  ok  values: max abs error …',
      '4 model versions: 4 passed, 0 failed',
    ]);
  });

  it('exits 2 with the server\'s own message when it cannot start, and for a folder that is not a store', async () => {
    const dir = store({ wine: 'wine-xgb' });
    writeFileSync(join(dir, 'wine/1/spec.json'), '{ nope');
    const failed = await run(['--serve', dir]);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toMatch(new RegExp(`^the server on ${dir} did not start \\(exit 1\\):\n`));
    expect(failed.stderr).toContain(join(dir, 'wine/1/spec.json'));
    expect(await run(['--serve', join(dir, 'wine')])).toEqual({
      code: 2,
      stdout: '',
      stderr: `--serve ${join(dir, 'wine')}: a server serves a store folder (<model>/<version>/model.onnx in it), not one model or version\n`,
    });
  });
});

describe('verify-model --url', () => {
  // One server for these tests, behind API keys; each test replays its own copy of the store's golden files.
  const key = 'golden-key-1';
  let server: ServedStore;
  let served: string;
  beforeAll(async () => {
    served = mkdtempSync(join(tmpdir(), 'verify-model-served-'));
    cpSync(join(root, 'test-fixtures/models/wine'), join(served, 'wine'), { recursive: true });
    server = await serveStore(served, { env: { API_KEYS: key } });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(served, { recursive: true, force: true });
  });

  it('passes with the key from --api-key, and from API_KEY', async () => {
    const dir = store({ wine: 'wine-xgb' });
    const expected = [
      `golden rows over HTTP: ${server.baseUrl}`,
      `wine:1: golden rows passed (30 rows of ${join(dir, 'wine/1/golden.json')}; ${tolerance})`,
      '  label           ok  labels: 30 compared, all equal',
      '  probabilities   ok  values: max abs error …',
      '  label (served)  ok  labels: 30 compared, all equal',
      '1 model version: 1 passed, 0 failed',
    ];
    const [flag, env] = await Promise.all([run(['--url', server.baseUrl, '--api-key', key, dir]), run(['--url', server.baseUrl, dir], { API_KEY: key })]);
    for (const { code, stdout, stderr } of [flag, env]) {
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(errors(stdout.trimEnd().split('\n'))).toEqual(expected);
    }
  });

  it('exits 1 listing each mismatch when the answers differ from an edited golden file', async () => {
    const dir = store({ wine: 'wine-xgb' }, { wine: (json) => (json.expected.label[8] = 2) });
    const { code, stdout } = await run(['--url', `${server.baseUrl}/`, '--api-key', key, dir]);
    expect(code).toBe(1);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[1]).toBe(`wine:1: golden rows FAILED (30 rows of ${join(dir, 'wine/1/golden.json')}; ${tolerance})`);
    expect(lines).toContain('  label           FAIL  labels: 30 compared, 1 differ');
    expect(lines).toContain('      row 8: expected 2 ("class_2"), got 0 ("class_0")');
    expect(lines).toContain('      row 8: expected "class_2", got "class_0"');
    expect(lines.at(-1)).toBe('1 model version: 0 passed, 1 failed');
  });

  it('exits 2 saying why when the key is missing or refused, or the server cannot be reached', async () => {
    const dir = store({ wine: 'wine-xgb' });
    const closed = await closedPort();
    const [missing, refused, unreachable] = await Promise.all([
      run(['--url', server.baseUrl, dir]),
      run(['--url', server.baseUrl, '--api-key', 'not-a-key', dir]),
      run(['--url', `http://127.0.0.1:${closed}`, dir]),
    ]);
    expect([missing.code, missing.stderr]).toEqual([
      2,
      `${server.baseUrl} answered 401 unauthorized: an API key is required: send it as x-api-key or Authorization: Bearer <key> (give the key with --api-key or API_KEY)\n`,
    ]);
    expect([refused.code, refused.stderr]).toEqual([
      2,
      `${server.baseUrl} answered 403 forbidden: the API key is not valid (is --api-key, or API_KEY, a key of this endpoint?)\n`,
    ]);
    expect([unreachable.code, unreachable.stderr]).toEqual([2, `http://127.0.0.1:${closed}: cannot be reached: connect ECONNREFUSED 127.0.0.1:${closed}\n`]);
  });

  it('fails a version the server does not serve, and refuses bad usage', async () => {
    const dir = store({ wine: 'wine-xgb', digits: 'digits-torch' });
    const { code, stdout } = await run(['--url', server.baseUrl, '--api-key', key, dir]);
    expect(code).toBe(1);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.slice(1, 3)).toEqual([
      `digits:1: golden rows FAILED (30 rows of ${join(dir, 'digits/1/golden.json')}; ${tolerance})`,
      expect.stringMatching(new RegExp(`^  problem: ${server.baseUrl.replace(/\./g, '\\.')} does not serve digits:1: 404 `)),
    ]);
    expect(lines.at(-1)).toBe('2 model versions: 1 passed, 1 failed');
    const bad = [['--url'], ['--serve', '--url', server.baseUrl, dir], ['--api-key', key, dir], ['--url', server.baseUrl, dir, dir]];
    const [notUrl, ...usages] = await Promise.all([run(['--url', 'localhost:8080', dir]), ...bad.map((args) => run(args))]);
    expect(usages).toEqual(bad.map(() => ({ code: 2, stdout: '', stderr: `${usage}\n` })));
    expect(notUrl).toEqual({ code: 2, stdout: '', stderr: '--url localhost:8080: not an http:// or https:// URL\n' });
  });
});
