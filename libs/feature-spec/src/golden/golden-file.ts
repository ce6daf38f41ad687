// golden.json: sample rows and what the original (Python) model returned for them, stored beside model.onnx so a
// model version carries the evidence that it serves what it was trained to. Parsed here, with errors naming the
// field (`rows[3]: 9 values, features has 10`); replayed by the inference library's verifyModel.
import { describeValue, formatPath, GoldenFileError, type FieldIssue } from '../errors';
import { isPlainObject } from '../wire-values';

/** One value of a row: a number, a string, a boolean, or null for a missing value. */
export type GoldenValue = number | string | boolean | null;

/** A row as written: positional (one value per column) or keyed by column name. */
export type GoldenRow = GoldenValue[] | Record<string, GoldenValue>;

/** What the model returned for one row from one output: a label or value, or a row of scores. */
export type GoldenOutputRow = number | string | boolean | (number | string | boolean)[];

export interface GoldenFile {
  /** Where it was read from, named in every message about it. */
  source: string;
  /** Names of the row values in order (`features`), when the file gives them. */
  features?: string[];
  /** The ONNX input each positional value feeds (`inputs[].name`), for a graph with one input per column. */
  inputs?: string[];
  /** The one ONNX input a positional row is the row of (`input.name`). */
  input?: string;
  /** Class names, indexed by the integer labels in `expected`. */
  labels?: string[];
  rows: GoldenRow[];
  /** ONNX output name → one entry per row. */
  expected: Record<string, GoldenOutputRow[]>;
  /** ONNX output name → per row, the index of the highest score (a logits model's label). */
  expectedArgmax: Record<string, number[]>;
  /** What a null must reach the graph as, per input type (`{"float32": "NaN", "string": ""}`): informational. */
  missing?: Record<string, number | string>;
}

/** Keys that describe the model for people (written by the golden writer); read by nobody. */
const descriptiveKeys = ['task', 'dataset', 'estimator', 'note', 'output_note', 'description'];
const knownKeys = ['features', 'inputs', 'input', 'labels', 'rows', 'expected', 'expected_argmax', 'missing', ...descriptiveKeys];

/** @param source where the JSON came from (`models/iris/1/golden.json`), named in every message. */
export function parseGoldenFile(json: unknown, source: string): GoldenFile {
  const issues: FieldIssue[] = [];
  const at = (path: readonly PropertyKey[], message: string) => issues.push({ path: formatPath(path) || '(root)', message });
  if (!isPlainObject(json)) {
    throw new GoldenFileError(source, [{ path: '(root)', message: `must be an object, got ${describeValue(json)}` }]);
  }
  for (const key of Object.keys(json)) {
    if (!knownKeys.includes(key)) at([key], `unknown field; expected ${knownKeys.join(', ')}`);
  }
  const features = stringList(json['features'], ['features'], at);
  const labels = stringList(json['labels'], ['labels'], at);
  const inputs = json['inputs'] === undefined ? undefined : inputNames(json['inputs'], at);
  const input = json['input'] === undefined ? undefined : inputName(json['input'], ['input'], at);
  if (inputs && input !== undefined) at(['input'], 'give either "input" (one matrix) or "inputs" (one per column), not both');
  const width = features?.length ?? inputs?.length;
  const names = features ?? inputs;
  const rows = readRows(json['rows'], width, names, features ? 'features' : 'inputs', at);
  const count = rows?.length ?? 0;
  const expected = readExpected(json['expected'], count, at);
  const expectedArgmax = readArgmax(json['expected_argmax'], count, labels, at);
  const missing = readMissing(json['missing'], at);
  if (issues.length > 0 || !rows || !expected) throw new GoldenFileError(source, issues);
  return {
    source,
    ...(features && { features }),
    ...(inputs && { inputs }),
    ...(input !== undefined && { input }),
    ...(labels && { labels }),
    rows,
    expected,
    expectedArgmax,
    ...(missing && { missing }),
  };
}

type At = (path: readonly PropertyKey[], message: string) => void;

function stringList(value: unknown, path: PropertyKey[], at: At): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v !== '')) {
    at(path, `must be a non-empty array of non-empty strings, got ${describeValue(value)}`);
    return undefined;
  }
  const duplicate = value.find((v, i) => value.indexOf(v) !== i);
  if (duplicate !== undefined) at(path, `names ${JSON.stringify(duplicate)} twice`);
  return value as string[];
}

function inputName(value: unknown, path: PropertyKey[], at: At): string | undefined {
  if (isPlainObject(value) && typeof value['name'] === 'string' && value['name'] !== '') return value['name'];
  at([...path, 'name'], `must be the ONNX input's name, got ${describeValue(isPlainObject(value) ? value['name'] : value)}`);
  return undefined;
}

function inputNames(value: unknown, at: At): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    at(['inputs'], `must be a non-empty array of {"name": …}, got ${describeValue(value)}`);
    return undefined;
  }
  const names = value.map((entry, i) => inputName(entry, ['inputs', i], at));
  return names.every((name) => name !== undefined) ? (names as string[]) : undefined;
}

function isGoldenValue(value: unknown): value is GoldenValue {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

function readRows(value: unknown, width: number | undefined, names: string[] | undefined, namedBy: string, at: At): GoldenRow[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    at(['rows'], `must be a non-empty array of rows, got ${describeValue(value)}`);
    return undefined;
  }
  let ok = true;
  value.forEach((row: unknown, i) => {
    const bad = (path: PropertyKey[], message: string) => {
      ok = false;
      at(['rows', i, ...path], message);
    };
    if (Array.isArray(row)) {
      if (width !== undefined && row.length !== width) bad([], `${row.length} values, ${namedBy} has ${width}`);
      row.forEach((v: unknown, j) => {
        if (!isGoldenValue(v)) bad([j], `must be a number, string, boolean or null, got ${describeValue(v)}`);
      });
    } else if (isPlainObject(row)) {
      for (const [key, v] of Object.entries(row)) {
        if (names && !names.includes(key)) bad([key], `not one of the ${namedBy}: ${names.join(', ')}`);
        if (!isGoldenValue(v)) bad([key], `must be a number, string, boolean or null, got ${describeValue(v)}`);
      }
      const absent = names?.filter((name) => !(name in row)) ?? [];
      if (absent.length > 0) bad([], `has no ${absent.join(', ')} (write null for a missing value)`);
    } else {
      bad([], `must be an array of values or an object keyed by column, got ${describeValue(row)}`);
    }
  });
  return ok ? (value as GoldenRow[]) : undefined;
}

function isOutputValue(value: unknown): value is number | string | boolean {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

function readExpected(value: unknown, count: number, at: At): Record<string, GoldenOutputRow[]> | undefined {
  if (!isPlainObject(value) || Object.keys(value).length === 0) {
    at(['expected'], `must be an object keyed by ONNX output name, got ${describeValue(value)}`);
    return undefined;
  }
  let ok = true;
  for (const [output, rows] of Object.entries(value)) {
    const bad = (path: PropertyKey[], message: string) => {
      ok = false;
      at(['expected', output, ...path], message);
    };
    if (!Array.isArray(rows)) {
      bad([], `must be an array with one entry per row, got ${describeValue(rows)}`);
      continue;
    }
    if (count > 0 && rows.length !== count) bad([], `${rows.length} entries, rows has ${count}`);
    rows.forEach((row: unknown, i) => {
      const fine = Array.isArray(row) ? row.length > 0 && row.every(isOutputValue) : isOutputValue(row);
      if (!fine) bad([i], `must be a number, string, boolean or a non-empty array of them, got ${describeValue(row)}`);
    });
  }
  return ok ? (value as Record<string, GoldenOutputRow[]>) : undefined;
}

function readArgmax(value: unknown, count: number, labels: string[] | undefined, at: At): Record<string, number[]> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) {
    at(['expected_argmax'], `must be an object keyed by ONNX output name, got ${describeValue(value)}`);
    return {};
  }
  for (const [output, rows] of Object.entries(value)) {
    if (!Array.isArray(rows)) {
      at(['expected_argmax', output], `must be an array of indices, one per row, got ${describeValue(rows)}`);
      continue;
    }
    if (count > 0 && rows.length !== count) at(['expected_argmax', output], `${rows.length} entries, rows has ${count}`);
    rows.forEach((index: unknown, i) => {
      const limit = labels?.length ?? Infinity;
      if (!Number.isInteger(index) || (index as number) < 0 || (index as number) >= limit) {
        const range = labels ? ` (0…${labels.length - 1}, an index into labels)` : ' (an index ≥ 0)';
        at(['expected_argmax', output, i], `must be an integer${range}, got ${describeValue(index)}`);
      }
    });
  }
  return value as Record<string, number[]>;
}

function readMissing(value: unknown, at: At): Record<string, number | string> | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value) || !Object.values(value).every((v) => typeof v === 'string' || typeof v === 'number')) {
    at(['missing'], `must map input types to what a null is fed as (e.g. {"float32": "NaN"}), got ${describeValue(value)}`);
    return undefined;
  }
  return value as Record<string, number | string>;
}
