// Replays a model's golden rows through the server's own request path (request validation, features to tensors,
// the session, reading outputs) and compares what comes back with what the original model returned.
import {
  compareGoldenOutputs,
  compareServedLabels,
  defaultGoldenTolerance,
  expectedOutputTensors,
  goldenFeatureInstances,
  goldenRawInstances,
  readPredictions,
  RequestValidationError,
  type GoldenFile,
  type GoldenReport,
  type GoldenTolerance,
  type ModelSpec,
  type OutputCheck,
  type TensorMap,
} from '@onnx-serve/feature-spec';
import type { LoadedModel } from '../load-model';
import { createPredictor, type PredictResult } from '../predict/predictor';

export interface VerifyOptions {
  /** Overrides the spec's own `verify` tolerances (and the defaults, 1e-4 relative and 1e-6 absolute). */
  tolerance?: Partial<GoldenTolerance>;
}

/** The tolerance a model is verified against: the options', else its spec's, else the defaults. */
export function goldenTolerance(spec: ModelSpec | null, override: Partial<GoldenTolerance> = {}): GoldenTolerance {
  return {
    relative: override.relative ?? spec?.verify?.relativeTolerance ?? defaultGoldenTolerance.relative,
    absolute: override.absolute ?? spec?.verify?.absoluteTolerance ?? defaultGoldenTolerance.absolute,
  };
}

export async function verifyModel(model: LoadedModel, golden: GoldenFile, options: VerifyOptions = {}): Promise<GoldenReport> {
  const tolerance = goldenTolerance(model.spec, options.tolerance);
  const report = (checks: OutputCheck[], problems: string[]): GoldenReport => ({
    source: golden.source,
    rows: golden.rows.length,
    tolerance,
    checks,
    problems,
    ...(golden.labels && { labels: golden.labels }),
    passed: problems.length === 0 && checks.length > 0 && checks.every((check) => check.passed),
  });
  let result: PredictResult;
  try {
    const instances = model.spec ? goldenFeatureInstances(golden, model.spec) : goldenRawInstances(golden, model.signature);
    // Every row in one request, as a client's batch: the server's own limits do not apply to its own check.
    const predictor = createPredictor(model, { maxInstances: instances.length });
    result = await predictor.predict({ instances });
  } catch (error) {
    if (error instanceof RequestValidationError) {
      return report([], error.issues.map((issue) => `${issue.path.replace(/^instances\[/, 'rows[')}: ${issue.message}`));
    }
    return report([], [error instanceof Error ? error.message : String(error)]);
  }
  const { checks, problems } = compareGoldenOutputs(golden, result.outputs, tolerance);
  if (checks.length === 0 && problems.length === 0) problems.push('expected names no output to compare');
  if (model.spec?.outputs.kind === 'classification') {
    const served = servedLabelCheck(model.spec, golden, result.outputs, result.predictions);
    if (served) checks.push(served);
    const order = classOrderProblem(model.spec.outputs.classes, golden.labels);
    if (order) problems.push(order);
  }
  return report(checks, problems);
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
