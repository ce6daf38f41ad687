// The example models' golden rows and expected outputs, and the comparison the README promises:
// floats within 1e-4 relative, labels exactly.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { bundledModelDir, fixturesRoot } from './fixtures';

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
  const golden = JSON.parse(readFileSync(join(fixturesRoot, 'golden', file), 'utf8')) as Golden;
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

/** The tolerance the README promises against a golden answer: floats within 1e-4 relative (labels exactly). */
export const goldenRelativeTolerance = 1e-4;

export function expectClose(actual: number, expected: number, what: string): void {
  const tolerance = goldenRelativeTolerance * Math.max(Math.abs(expected), 1e-6);
  expect(Math.abs(actual - expected), `${what}: got ${actual}, expected ${expected}`).toBeLessThanOrEqual(tolerance);
}

/** Two predictions agree: same keys and labels, numbers within `relative` (default 1e-5: a batch and a single row
 * may differ in the last float32 bit, as the model sums in a different order; 1e-4 against a golden answer). */
export function expectSamePrediction(actual: unknown, expected: unknown, what: string, relative = 1e-5): void {
  if (typeof expected === 'number') {
    expect(typeof actual, what).toBe('number');
    const tolerance = relative * Math.max(Math.abs(expected), 1e-6);
    expect(Math.abs((actual as number) - expected), `${what}: got ${actual}, expected ${expected}`).toBeLessThanOrEqual(tolerance);
  } else if (expected !== null && typeof expected === 'object') {
    expect(Object.keys(actual as object), what).toEqual(Object.keys(expected));
    for (const [key, value] of Object.entries(expected)) {
      expectSamePrediction((actual as Record<string, unknown>)[key], value, `${what}.${key}`, relative);
    }
  } else {
    expect(actual, what).toEqual(expected);
  }
}

const row = (values: (number | number[])[] | undefined, output: string, i: number) => {
  const value = values?.[i];
  if (value === undefined) throw new Error(`the golden file has no expected.${output}[${i}]`);
  return value;
};

/**
 * The predictions the API answers for a golden file's rows, built from its expected outputs the way the API reads a
 * model's outputs: a regression's value, a classifier's label with each class's probability, or a label with the
 * decision score of its one scored class (`scores`).
 */
export const goldenPredictions = {
  regression: (golden: Golden, output: string) => golden.expected[output]!.map((value) => ({ value })),
  probabilities: (golden: Golden, labelOutput: string, probabilityOutput: string) =>
    golden.expected[labelOutput]!.map((label, i) => ({
      label: golden.labels![label as number],
      probabilities: Object.fromEntries(
        golden.labels!.map((name, k) => [name, (row(golden.expected[probabilityOutput], probabilityOutput, i) as number[])[k]]),
      ),
    })),
  scores: (golden: Golden, labelOutput: string, scoreOutput: string, scoredClass: string) =>
    golden.expected[labelOutput]!.map((label, i) => ({
      label: golden.labels![label as number],
      scores: { [scoredClass]: (row(golden.expected[scoreOutput], scoreOutput, i) as number[])[0] },
    })),
};

const storeDirs: string[] = [];

/** A temp store of fixture models, each with its golden file beside it as golden.json (edited where `edit` says). */
export function goldenStore(models: Record<string, string>, edit: Record<string, (json: any) => void> = {}): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  const dir = mkdtempSync(join(tmpdir(), 'golden-store-'));
  storeDirs.push(dir);
  for (const [model, golden] of Object.entries(models)) {
    cpSync(join(bundledModelDir, model), join(dir, model), { recursive: true });
    const json = JSON.parse(readFileSync(join(fixturesRoot, 'golden', `${golden}.golden.json`), 'utf8'));
    edit[model]?.(json);
    writeFileSync(join(dir, model, '1/golden.json'), JSON.stringify(json));
  }
  return dir;
}

export function removeGoldenStores(): void {
  for (const dir of storeDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
