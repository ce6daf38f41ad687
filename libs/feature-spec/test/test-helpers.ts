// Small helpers the unit tests share: catching the one error a call must throw, and writing mappings briefly.
import type { TensorDtype } from '../src/model-spec';

/** The error `run` throws, which must be an `errorClass` (anything else, or nothing, fails the test). */
export function thrown<E extends Error>(errorClass: abstract new (...args: never[]) => E, run: () => unknown): E {
  try {
    run();
  } catch (error) {
    if (error instanceof errorClass) return error;
    throw error;
  }
  throw new Error(`nothing was thrown; expected a ${errorClass.name}`);
}

/** A per-feature mapping where each feature feeds the ONNX input of its own name. */
export function perFeatureInputs(dtypes: Record<string, TensorDtype>) {
  return {
    kind: 'per-feature' as const,
    tensors: Object.entries(dtypes).map(([feature, dtype]) => ({ feature, input: feature, dtype })),
  };
}
