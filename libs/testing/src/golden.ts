// The example models' golden rows and expected outputs, and the comparison the README promises:
// floats within 1e-4 relative, labels exactly.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { bundledModelDir, workspaceRoot } from './test-server';

/** A golden value; null where the row has a missing value. */
export type GoldenValue = number | string | null;

export interface Golden {
  /** Rows as arrays in `features` order (a file may hold them as objects keyed by feature; readGolden converts). */
  rows: GoldenValue[][];
  expected: Record<string, (number | number[])[]>;
  features?: string[];
  labels?: string[];
  input?: { name: string };
  inputs?: { name: string }[];
}

export function readGolden(file: string): Golden {
  const golden = JSON.parse(readFileSync(join(workspaceRoot, 'test-fixtures/golden', file), 'utf8')) as Golden;
  const rows = golden.rows as (GoldenValue[] | Record<string, GoldenValue>)[];
  const names = columnNames(golden);
  return { ...golden, rows: rows.map((row) => (Array.isArray(row) ? row : names.map((name) => row[name] ?? null))) };
}

function columnNames(golden: Golden): string[] {
  return golden.features ?? golden.inputs?.map((i) => i.name) ?? [golden.input!.name];
}

/** The golden rows as named-feature instances (missing values as null). */
export function goldenInstances(golden: Golden): Record<string, GoldenValue>[] {
  const names = columnNames(golden);
  return golden.rows.map((row) => Object.fromEntries(names.map((name, i) => [name, row[i]!])));
}

export function expectClose(actual: number, expected: number, what: string): void {
  const tolerance = 1e-4 * Math.max(Math.abs(expected), 1e-6);
  expect(Math.abs(actual - expected), `${what}: got ${actual}, expected ${expected}`).toBeLessThanOrEqual(tolerance);
}

/** Two predictions agree: same keys and labels, numbers within 1e-5 relative (a batch and a single row may
 * differ in the last float32 bit, as the model sums in a different order). */
export function expectSamePrediction(actual: unknown, expected: unknown, what: string): void {
  if (typeof expected === 'number') {
    expect(typeof actual, what).toBe('number');
    const tolerance = 1e-5 * Math.max(Math.abs(expected), 1e-6);
    expect(Math.abs((actual as number) - expected), `${what}: got ${actual}, expected ${expected}`).toBeLessThanOrEqual(tolerance);
  } else if (expected !== null && typeof expected === 'object') {
    expect(Object.keys(actual as object), what).toEqual(Object.keys(expected));
    for (const [key, value] of Object.entries(expected)) {
      expectSamePrediction((actual as Record<string, unknown>)[key], value, `${what}.${key}`);
    }
  } else {
    expect(actual, what).toEqual(expected);
  }
}

const storeDirs: string[] = [];

/** A temp store of fixture models, each with its golden file beside it as golden.json (edited where `edit` says). */
export function goldenStore(models: Record<string, string>, edit: Record<string, (json: any) => void> = {}): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  const dir = mkdtempSync(join(tmpdir(), 'golden-store-'));
  storeDirs.push(dir);
  for (const [model, golden] of Object.entries(models)) {
    cpSync(join(bundledModelDir, model), join(dir, model), { recursive: true });
    const json = JSON.parse(readFileSync(join(workspaceRoot, 'test-fixtures/golden', `${golden}.golden.json`), 'utf8'));
    edit[model]?.(json);
    writeFileSync(join(dir, model, '1/golden.json'), JSON.stringify(json));
  }
  return dir;
}

export function removeGoldenStores(): void {
  for (const dir of storeDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
