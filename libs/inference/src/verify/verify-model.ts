// Replays a model's golden rows through the server's own request path (request validation, features to tensors,
// the session, reading outputs) and compares what comes back with what the original model returned.
import {
  defaultGoldenTolerance,
  goldenFeatureInstances,
  goldenRawInstances,
  judgeGoldenAnswers,
  refusedRows,
  RequestValidationError,
  type GoldenAnswers,
  type GoldenFile,
  type GoldenReport,
  type GoldenTolerance,
  type ModelSpec,
} from '@onnx-serve/feature-spec';
import type { LoadedModel } from '../load-model';
import { createPredictor } from '../predict/predictor';

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
  let answers: GoldenAnswers;
  try {
    const instances = model.spec ? goldenFeatureInstances(golden, model.spec) : goldenRawInstances(golden, model.signature);
    // Every row in one request, as a client's batch: the server's own limits do not apply to its own check.
    const predictor = createPredictor(model, { maxInstances: instances.length });
    answers = await predictor.predict({ instances });
  } catch (error) {
    const problems = error instanceof RequestValidationError ? refusedRows(error.issues) : [error instanceof Error ? error.message : String(error)];
    answers = { problems };
  }
  return judgeGoldenAnswers(golden, model.spec, goldenTolerance(model.spec, options.tolerance), answers);
}
