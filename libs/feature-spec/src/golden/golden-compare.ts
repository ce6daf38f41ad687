// What the served model returned for the golden rows against what the original model returned: floats within a
// tolerance, labels (integer, string and boolean outputs, and argmax labels) exactly.
import { arrayOf } from '../array-of';
import { allocate, isFloatDtype } from '../dtypes';
import type { TensorDtype } from '../model-spec';
import type { BatchTensor, TensorMap } from '../tensors';
import type { GoldenFile, GoldenOutputRow } from './golden-file';

/**
 * A value passes when |got − expected| ≤ max(relative · |expected|, absolute): relative for most values, and the
 * absolute floor near zero, where a relative error means nothing (a logit of 1e-7 that came out 2e-7 is fine).
 */
export interface GoldenTolerance {
  relative: number;
  absolute: number;
}

export const defaultGoldenTolerance: GoldenTolerance = { relative: 1e-4, absolute: 1e-6 };

type Scalar = number | string | boolean;

export interface GoldenMismatch {
  row: number;
  /** The position in the row, for outputs with several values per row. */
  column?: number;
  expected: Scalar;
  got: Scalar;
}

export interface OutputCheck {
  /** The ONNX output, `argmax(<output>)` for an expected_argmax, or `label (served)` for the label the API answers. */
  name: string;
  kind: 'values' | 'labels';
  /** Elements compared. */
  compared: number;
  /** Largest |got − expected| (values only; 0 for labels). */
  maxAbsError: number;
  /** Largest |got − expected| / |expected| over non-zero expected values (values only). */
  maxRelError: number;
  /** Every value beyond the tolerance, every label that differs. */
  mismatches: GoldenMismatch[];
  passed: boolean;
}

export interface GoldenReport {
  /** The golden file. */
  source: string;
  rows: number;
  tolerance: GoldenTolerance;
  checks: OutputCheck[];
  /** What kept rows from the model or outputs from being compared (refused rows, missing outputs). */
  problems: string[];
  /** Class names of the golden file, for messages. */
  labels?: string[];
  passed: boolean;
}

/** Every output in `expected` and `expected_argmax` against the model's raw outputs for all the golden rows. */
export function compareGoldenOutputs(golden: GoldenFile, outputs: TensorMap, tolerance: GoldenTolerance): { checks: OutputCheck[]; problems: string[] } {
  const checks: OutputCheck[] = [];
  const problems: string[] = [];
  const count = golden.rows.length;
  for (const [name, expectedRows] of Object.entries(golden.expected)) {
    const read = outputRowsOf(outputs, name, count, `expected.${name}`);
    if (typeof read === 'string') {
      problems.push(read);
      continue;
    }
    const { tensor, width } = read;
    const widths = expectedRows.map((row) => flatRow(row).length);
    const badRow = widths.findIndex((w) => w !== width);
    if (badRow >= 0) {
      problems.push(`expected.${name}[${badRow}]: ${widths[badRow]} values, the model's output "${name}" has ${width} per row`);
      continue;
    }
    const check = isFloatDtype(tensor.dtype)
      ? compareValues(name, tensor, expectedRows, width, tolerance)
      : compareLabels(name, tensor, expectedRows, width, golden.labels);
    checks.push(check);
  }
  for (const [name, indices] of Object.entries(golden.expectedArgmax)) {
    const read = outputRowsOf(outputs, name, count, `expected_argmax.${name}`);
    if (typeof read === 'string') {
      problems.push(read);
      continue;
    }
    const got = arrayOf(count, (i) => argmax(read.tensor, i * read.width, read.width));
    checks.push(labelCheck(`argmax(${name})`, indices, got));
  }
  return { checks, problems };
}

/** The labels the API answered against the labels it answers for the expected outputs. */
export function compareServedLabels(expected: readonly string[], got: readonly string[]): OutputCheck {
  return labelCheck('label (served)', expected, got);
}

/**
 * The expected outputs as tensors shaped and typed like the ones the model returned, so the server's own output
 * reader can tell which label it would answer for them. Only outputs present in both.
 */
export function expectedOutputTensors(golden: GoldenFile, outputs: TensorMap): TensorMap {
  const tensors: TensorMap = {};
  for (const [name, rows] of Object.entries(golden.expected)) {
    const actual = outputs[name];
    if (!actual) continue;
    const values = rows.flatMap(flatRow);
    if (values.length === actual.data.length) tensors[name] = tensorOf(actual.dtype, actual.dims, values);
  }
  return tensors;
}

/** Plain values as a tensor of `dtype`; in a numeric one, a missing value is NaN, which is close to nothing. */
export function tensorOf(dtype: TensorDtype, dims: number[], values: readonly unknown[]): BatchTensor {
  const data = allocate(dtype, values.length);
  values.forEach((value, i) => {
    if (Array.isArray(data)) data[i] = String(value);
    else if (data instanceof BigInt64Array || data instanceof BigUint64Array) data[i] = BigInt(typeof value === 'string' ? value : Math.trunc(Number(value)));
    else data[i] = typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string' ? Number(value) : NaN;
  });
  return { dtype, dims, data };
}

function outputRowsOf(outputs: TensorMap, name: string, count: number, field: string): { tensor: BatchTensor; width: number } | string {
  const tensor = outputs[name];
  if (!tensor) return `${field}: the model has no output "${name}" (it has: ${Object.keys(outputs).join(', ') || 'none'})`;
  const width = tensor.dims.slice(1).reduce((size, dim) => size * dim, 1);
  if (tensor.dims[0] !== count || tensor.data.length !== count * width) {
    return `${field}: the model's output "${name}" has dims [${tensor.dims.join(',')}], not one row for each of ${count} rows`;
  }
  return { tensor, width };
}

function flatRow(row: GoldenOutputRow): Scalar[] {
  return Array.isArray(row) ? row : [row];
}

function compareValues(name: string, tensor: BatchTensor, rows: GoldenOutputRow[], width: number, tolerance: GoldenTolerance): OutputCheck {
  const mismatches: GoldenMismatch[] = [];
  let maxAbsError = 0;
  let maxRelError = 0;
  rows.forEach((row, i) => {
    flatRow(row).forEach((expectedValue, j) => {
      const got = Number(tensor.data[i * width + j]);
      const expected = Number(expectedValue);
      // NaN (or a string where a number belongs) is never close to anything.
      const error = Number.isFinite(got) && Number.isFinite(expected) ? Math.abs(got - expected) : Infinity;
      maxAbsError = Math.max(maxAbsError, error);
      if (expected !== 0) maxRelError = Math.max(maxRelError, error / Math.abs(expected));
      if (!(error <= Math.max(tolerance.relative * Math.abs(expected), tolerance.absolute))) {
        mismatches.push({ row: i, ...(width > 1 && { column: j }), expected: expectedValue, got });
      }
    });
  });
  return { name, kind: 'values', compared: rows.length * width, maxAbsError, maxRelError, mismatches, passed: mismatches.length === 0 };
}

function compareLabels(name: string, tensor: BatchTensor, rows: GoldenOutputRow[], width: number, labels: string[] | undefined): OutputCheck {
  const mismatches: GoldenMismatch[] = [];
  rows.forEach((row, i) => {
    flatRow(row).forEach((expected, j) => {
      const raw = tensor.data[i * width + j];
      const got: Scalar = typeof raw === 'string' ? raw : tensor.dtype === 'bool' ? raw !== 0 : Number(raw);
      // A model trained on named classes returns the name where Python's golden writer may have kept the index.
      const same = got === expected || (typeof got === 'string' && typeof expected === 'number' && labels?.[expected] === got);
      if (!same) mismatches.push({ row: i, ...(width > 1 && { column: j }), expected, got });
    });
  });
  return { name, kind: 'labels', compared: rows.length * width, maxAbsError: 0, maxRelError: 0, mismatches, passed: mismatches.length === 0 };
}

function labelCheck(name: string, expected: readonly Scalar[], got: readonly Scalar[]): OutputCheck {
  const mismatches = expected.flatMap((e, row) => (got[row] === e ? [] : [{ row, expected: e, got: got[row] ?? '(none)' }]));
  return { name, kind: 'labels', compared: expected.length, maxAbsError: 0, maxRelError: 0, mismatches, passed: mismatches.length === 0 };
}

function argmax(tensor: BatchTensor, offset: number, width: number): number {
  let best = 0;
  for (let j = 1; j < width; j++) if (Number(tensor.data[offset + j]) > Number(tensor.data[offset + best])) best = j;
  return best;
}
