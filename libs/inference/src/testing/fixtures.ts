// Test helpers: the bundled models and their golden rows, read from the workspace (never from /work/shared).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BatchTensor, TensorDtype, TensorMap } from '@onnx-serve/feature-spec';
import type { ModelRef } from '../store/model-store';

export const workspaceRoot = fileURLToPath(new URL('../../../../', import.meta.url));
export const modelsDir = `${workspaceRoot}test-fixtures/models`;

interface GoldenInput {
  name: string;
  dtype: TensorDtype;
  shape: (number | null)[];
}

export interface Golden {
  rows: (number | string)[][];
  expected: Record<string, (number | number[])[]>;
  input?: GoldenInput;
  inputs?: GoldenInput[];
}

/** The bundled models, by store name, with the golden file that goes with each. */
export const bundled = {
  diabetes: 'diabetes-rf',
  iris: 'iris-gb-zipmap',
  sentiment: 'sentiment-svc',
  'disaster-tweets': 'tweets-logreg',
  digits: 'digits-torch',
  wine: 'wine-xgb',
} as const;
export type BundledModel = keyof typeof bundled;

export function bundledRef(name: BundledModel): ModelRef {
  return { name, version: '1', modelPath: `${modelsDir}/${name}/1/model.onnx` };
}

export function readGolden(name: BundledModel): Golden {
  return JSON.parse(readFileSync(`${workspaceRoot}test-fixtures/golden/${bundled[name]}.golden.json`, 'utf8')) as Golden;
}

/** Feeds for golden rows, built by hand: one matrix input takes whole rows, several inputs take a column each. */
export function goldenFeeds(golden: Golden, rows = golden.rows): TensorMap {
  if (golden.input) return { [golden.input.name]: tensorOf(golden.input.dtype, rows) };
  return Object.fromEntries(
    (golden.inputs ?? []).map((input, column) => [input.name, tensorOf(input.dtype, rows.map((row) => [at(row, column)]))]),
  );
}

/** items[index], or a thrown error naming what is missing (tests read outputs and rows by position). */
export function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`nothing at index ${index} of ${items.length} items`);
  return item;
}

/** The named tensor, or a thrown error naming the tensors there are. */
export function tensor(tensors: TensorMap, name: string): BatchTensor {
  const found = tensors[name];
  if (!found) throw new Error(`no tensor ${JSON.stringify(name)} among ${Object.keys(tensors).join(', ')}`);
  return found;
}

function tensorOf(dtype: TensorDtype, rows: (number | string)[][]): BatchTensor {
  const dims = [rows.length, rows[0]?.length ?? 0];
  const flat = rows.flat();
  if (dtype === 'string') return { dtype, dims, data: flat.map(String) };
  if (dtype === 'float32') return { dtype, dims, data: Float32Array.from(flat.map(Number)) };
  throw new Error(`golden input dtype ${dtype} is not handled by this helper`);
}

/** Whether actual is within `relative` of expected (relative to |expected|). */
export function closeTo(actual: number, expected: number, relative = 1e-4): boolean {
  return Math.abs(actual - expected) <= relative * Math.abs(expected);
}

/** The bytes of a file under test-fixtures/ (`models/digits/1/model.onnx`, `golden/wine-xgb.golden.json`). */
export function fixtureBytes(path: string): Uint8Array {
  return readFileSync(`${workspaceRoot}test-fixtures/${path}`);
}

/** A fixture model's version folder as temp-store entries, with a golden file of its own beside it. */
export function versionFiles(model: string, store: string, golden: string | Uint8Array, extra: string[] = []): Record<string, Uint8Array | string> {
  const files: Record<string, Uint8Array | string> = {
    [`${store}/model.onnx`]: fixtureBytes(`models/${model}/1/model.onnx`),
    [`${store}/spec.json`]: fixtureBytes(`models/${model}/1/spec.json`),
    [`${store}/golden.json`]: typeof golden === 'string' ? fixtureBytes(`golden/${golden}.golden.json`) : golden,
  };
  for (const file of extra) files[`${store}/${file}`] = fixtureBytes(`models/${model}/1/${file}`);
  return files;
}

const tempDirs: string[] = [];

/** A temp model store: path → a bundled model's name (copied), or the file's content. Returns its directory. */
export function tempStore(files: Record<string, BundledModel | string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'inference-store-'));
  tempDirs.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    if (typeof content === 'string' && content in bundled) copyFileSync(bundledRef(content as BundledModel).modelPath, join(dir, path));
    else writeFileSync(join(dir, path), content);
  }
  return dir;
}

export function removeTempStores(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
