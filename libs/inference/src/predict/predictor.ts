// The request path of one model: validate the JSON, build the batch, run it, read the predictions back. The
// server's v1 predict route and the golden-row verifier both go through this one piece of code.
import {
  batchInputsBuilder,
  createFeatureValidator,
  createRawValidator,
  readPredictions,
  readRawPredictions,
  type TensorMap,
  type ValidatorOptions,
} from '@onnx-serve/feature-spec';
import type { LoadedModel } from '../load-model';
import type { RunOptions } from '../session/chunked-runner';

export interface PredictResult {
  predictions: unknown[];
  /** What the model returned, as it returned it (for comparing with golden outputs). */
  outputs: TensorMap;
}

export interface Predictor {
  /** Rows in, predictions out; throws RequestValidationError for bad input. `options` go to the model's run. */
  predict(body: unknown, options?: RunOptions): Promise<PredictResult>;
}

/** Throws when v1 cannot carry the model's tensors (float16, scalars): its validator cannot be built. */
export function createPredictor(model: LoadedModel, options: ValidatorOptions = {}): Predictor {
  const spec = model.spec;
  if (!spec) {
    const validate = createRawValidator(model.signature, options);
    return {
      async predict(body, options) {
        const { feeds, count } = validate(body);
        const outputs = await model.run(feeds, options);
        return { predictions: readRawPredictions(model.signature, outputs, count), outputs };
      },
    };
  }
  const validate = createFeatureValidator(spec, options);
  const toBatchInputs = batchInputsBuilder(spec, model.signature);
  return {
    async predict(body, options) {
      const { rows, defaulted, missing } = validate(body);
      const outputs = await model.run(toBatchInputs(rows), options);
      const predictions: object[] = readPredictions(spec, outputs, rows.length);
      return {
        predictions: predictions.map((prediction, i) => {
          const filled = defaulted[i] ?? [];
          const nan = missing[i] ?? [];
          if (filled.length === 0 && nan.length === 0) return prediction;
          return { ...prediction, ...(filled.length > 0 ? { defaulted: filled } : {}), ...(nan.length > 0 ? { missing: nan } : {}) };
        }),
        outputs,
      };
    },
  };
}
