// The golden check at load: a version's golden.json replayed once its session exists, summed up as plain JSON
// (for GET /v1/models/{name}) and, when the rows fail and the check refuses, as the readable report.
import { readFile } from 'node:fs/promises';
import { formatGoldenReport, parseGoldenFile, type GoldenFile, type GoldenReport, type GoldenTolerance } from '@onnx-serve/feature-spec';
import type { LoadedModel } from '../load-model';
import type { GoldenCheck } from './golden-check-modes';
import { goldenTolerance, verifyModel } from './verify-model';

/** One check of a verification, as the API shows it. */
export interface GoldenCheckSummary {
  name: string;
  kind: 'values' | 'labels';
  compared: number;
  maxAbsError: number;
  maxRelError: number;
  mismatches: number;
  passed: boolean;
}

export type GoldenVerification =
  | {
      status: 'passed' | 'failed';
      /** The golden file. */
      golden: string;
      rows: number;
      tolerance: GoldenTolerance;
      checks: GoldenCheckSummary[];
      /** The checks that failed, by name. */
      failed: string[];
      problems: string[];
    }
  | { status: 'not-checked'; golden: string };

/** Reads and parses a golden.json; throws with the file named (unreadable, not JSON, or not a golden file). */
export async function readGoldenFile(path: string): Promise<GoldenFile> {
  const text = await readFile(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  return parseGoldenFile(json, path);
}

/** A report as GET /v1/models/{name} shows it: counts of mismatches, not each one. */
export function summarizeReport(report: GoldenReport): GoldenVerification {
  return {
    status: report.passed ? 'passed' : 'failed',
    golden: report.source,
    rows: report.rows,
    tolerance: report.tolerance,
    checks: report.checks.map(({ mismatches, ...check }) => ({ ...check, mismatches: mismatches.length })),
    failed: report.checks.filter((check) => !check.passed).map((check) => check.name),
    problems: report.problems,
  };
}

/** A golden file that cannot be read fails the check like rows that disagree: the model's evidence is broken. */
export async function checkGolden(
  model: LoadedModel,
  goldenPath: string,
  check: GoldenCheck,
): Promise<{ verification: GoldenVerification; refusal?: string }> {
  if (check === 'off') return { verification: { status: 'not-checked', golden: goldenPath } };
  let report: GoldenReport;
  try {
    report = await verifyModel(model, await readGoldenFile(goldenPath));
  } catch (error) {
    const problem = (error as Error).message;
    const verification: GoldenVerification = { status: 'failed', golden: goldenPath, rows: 0, tolerance: goldenTolerance(model.spec), checks: [], failed: [], problems: [problem] };
    return { verification, ...(check === 'refuse' && { refusal: `its golden file is refused: ${problem}` }) };
  }
  const verification = summarizeReport(report);
  if (report.passed || check === 'warn') return { verification };
  return { verification, refusal: `its golden rows fail:\n${formatGoldenReport(`${model.name}:${model.version}`, report)}` };
}
