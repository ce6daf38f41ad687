// The request path of one model: validate the JSON, build the batch, run it, read the predictions back.
import {
  createFeatureValidator,
  createRawValidator,
  readPredictions,
  readRawPredictions,
  toBatchInputs,
} from '@onnx-serve/feature-spec';
import type { LoadedModel } from '@onnx-serve/inference';
import type { ServiceLimits } from '../config';

export interface PredictResult {
  predictions: unknown[];
}

export interface Predictor {
  /** Rows in, predictions out; throws RequestValidationError for bad input. */
  predict(body: unknown): Promise<PredictResult>;
}

export function createPredictor(model: LoadedModel, limits: ServiceLimits): Predictor {
  const options = { maxInstances: limits.maxInstances, maxStringLength: limits.maxStringLength };
  const spec = model.spec;
  if (!spec) {
    const validate = createRawValidator(model.signature, options);
    return {
      async predict(body) {
        const { feeds, count } = validate(body);
        const outputs = await model.run(feeds);
        return { predictions: readRawPredictions(model.signature, outputs, count) };
      },
    };
  }
  const validate = createFeatureValidator(spec, options);
  return {
    async predict(body) {
      const { rows, defaulted, missing } = validate(body);
      const outputs = await model.run(toBatchInputs(spec, rows, model.signature));
      const predictions: object[] = readPredictions(spec, outputs, rows.length);
      return {
        predictions: predictions.map((prediction, i) => {
          const filled = defaulted[i] ?? [];
          const nan = missing[i] ?? [];
          if (filled.length === 0 && nan.length === 0) return prediction;
          return { ...prediction, ...(filled.length > 0 ? { defaulted: filled } : {}), ...(nan.length > 0 ? { missing: nan } : {}) };
        }),
      };
    },
  };
}
