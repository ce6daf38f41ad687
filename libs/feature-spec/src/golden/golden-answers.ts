// What a server answered for the golden rows, judged: in-process the predictor's outputs and predictions, over
// HTTP the v1 predictions turned back into the outputs they were read from. One comparison serves both.
import type { FieldIssue } from '../errors';
import type { ModelSpec } from '../model-spec';
import { readPredictions } from '../predictions';
import type { ModelSignature, TensorMap } from '../tensors';
import { compareGoldenOutputs, compareServedLabels, expectedOutputTensors, tensorOf, type GoldenReport, type GoldenTolerance, type OutputCheck } from './golden-compare';
import type { GoldenFile } from './golden-file';

/** What the rows got: the outputs and the API's predictions for every row, or why there are none. */
export type GoldenAnswers = { outputs: TensorMap; predictions: unknown[] } | { problems: string[] };

export function judgeGoldenAnswers(golden: GoldenFile, spec: ModelSpec | null, tolerance: GoldenTolerance, answers: GoldenAnswers): GoldenReport {
  const report = (checks: OutputCheck[], problems: string[]): GoldenReport => ({
    source: golden.source,
    rows: golden.rows.length,
    tolerance,
    checks,
    problems,
    ...(golden.labels && { labels: golden.labels }),
    passed: problems.length === 0 && checks.length > 0 && checks.every((check) => check.passed),
  });
  if ('problems' in answers) return report([], answers.problems);
  const { checks, problems } = compareGoldenOutputs(golden, answers.outputs, tolerance);
  if (checks.length === 0 && problems.length === 0) problems.push('expected names no output to compare');
  if (spec?.outputs.kind === 'classification') {
    const served = servedLabelCheck(spec, golden, answers.outputs, answers.predictions);
    if (served) checks.push(served);
    const order = classOrderProblem(spec.outputs.classes, golden.labels);
    if (order) problems.push(order);
  }
  return report(checks, problems);
}

/** Refused instances as problems of golden rows: `instances[k]` of a batch starting at row `offset` is `rows[offset + k]`. */
export function refusedRows(issues: readonly FieldIssue[], offset = 0): string[] {
  return issues.map((issue) => `${issue.path.replace(/^instances\[(\d+)\]/, (_, k: string) => `rows[${offset + Number(k)}]`)}: ${issue.message}`);
}

/**
 * v1 predictions turned back into the outputs they were read from, typed so the comparison reads them as it reads
 * the model's own: with a spec, the label output (the model's label, before a threshold; an index into the classes,
 * or the class name where the golden file writes names), the scores per class in class order, the regression
 * value; raw, every output by name (a ZipMap's {class: probability} in its column order).
 */
export function answeredOutputs(spec: ModelSpec | null, signature: ModelSignature, predictions: readonly unknown[], golden: GoldenFile): TensorMap {
  const n = predictions.length;
  const rows = predictions as Record<string, unknown>[];
  const outputs: TensorMap = {};
  if (!spec) {
    for (const output of signature.outputs) {
      if (!rows.every((row) => row[output.name] !== undefined)) continue;
      const cells = rows.map((row) => row[output.name]);
      if (output.zipMapClasses) {
        const keys = output.zipMapClasses.map(String);
        const values = cells.flatMap((cell) => keys.map((key) => (cell as Record<string, unknown>)[key]));
        outputs[output.name] = tensorOf('float64', [n, keys.length], values);
      } else if (output.dtype !== 'unsupported') {
        outputs[output.name] = tensorOf(output.dtype, [n, ...dimsOf(cells[0])], cells.flat(Infinity));
      }
    }
    return outputs;
  }
  const mapping = spec.outputs;
  if (mapping.kind === 'regression') return { [mapping.output]: tensorOf('float64', [n], rows.map((row) => row['value'])) };
  const { classes, labelOutput, scoresOutput } = mapping;
  if (labelOutput !== undefined) {
    // The model's own label: a threshold may have changed the one answered.
    const labels = rows.map((row) => (row['threshold'] as { modelLabel?: string } | undefined)?.modelLabel ?? String(row['label']));
    const asNames = golden.expected[labelOutput]?.some((value) => typeof value === 'string');
    outputs[labelOutput] = asNames ? tensorOf('string', [n], labels) : tensorOf('int64', [n], labels.map((label) => classes.indexOf(label)));
  }
  if (scoresOutput !== undefined) {
    const key = mapping.scoreKind === 'decision' ? 'scores' : 'probabilities';
    const byClass = rows.map((row) => (row[key] ?? {}) as Record<string, unknown>);
    // A binary decision function answers the positive class's score alone: one column, as the model returned it.
    const positiveOnly = mapping.scoreKind === 'decision' && classes.length === 2 && byClass.every((scores) => Object.keys(scores).length === 1);
    const columns = positiveOnly ? classes.slice(1) : classes;
    outputs[scoresOutput] = tensorOf('float64', [n, columns.length], byClass.flatMap((scores) => columns.map((name) => scores[name])));
  }
  return outputs;
}

function dimsOf(cell: unknown): number[] {
  return Array.isArray(cell) ? [cell.length, ...dimsOf(cell[0])] : [];
}

/**
 * The labels the API answered against the labels the same output reader gives for the expected outputs (the
 * label output, or the argmax or threshold of the scores), when `expected` holds every output the spec reads.
 */
function servedLabelCheck(spec: ModelSpec, golden: GoldenFile, outputs: TensorMap, predictions: unknown[]): OutputCheck | undefined {
  let expected: string[];
  try {
    expected = readPredictions(spec, expectedOutputTensors(golden, outputs), golden.rows.length).map((p) => (p as { label: string }).label);
  } catch {
    return undefined;
  }
  return compareServedLabels(expected, predictions.map((p) => (p as { label: string }).label));
}

/** The same class names in another order is a spec that names every label wrongly. */
function classOrderProblem(classes: string[], labels: string[] | undefined): string | undefined {
  if (!labels || labels.length !== classes.length || labels.every((label, i) => label === classes[i])) return undefined;
  if ([...labels].sort().join('\n') !== [...classes].sort().join('\n')) return undefined;
  return `the spec's classes (${classes.join(', ')}) are the golden labels in another order (${labels.join(', ')}): label k must be classes[k]`;
}
