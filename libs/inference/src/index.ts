// Public surface of @onnx-serve/inference: the only project that imports onnxruntime-node.
export { patchOnnxModel } from './onnx/patch-onnx-model';
export { externalDataLocations } from './onnx/external-data';
export { LocalModelStore } from './store/model-store';
export type { ModelRef } from './store/model-store';
export { loadModel } from './load-model';
export type { LoadedModel } from './load-model';
export { ModelRegistry, loadModels } from './model-registry';
export type { LoadModelsOptions } from './model-registry';
export { createPredictor } from './predict/predictor';
export type { Predictor } from './predict/predictor';
export type { RunOptions, RunSignal } from './session/chunked-runner';
export { RunAbortedError } from './errors';
export { verifyModel, goldenTolerance } from './verify/verify-model';
export { readGoldenFile } from './verify/golden-check';
export { draftModelSpec } from './draft-model-spec';
export type { DraftOptions, DraftResult } from './draft-model-spec';
export { defaultMaxRowsPerRun, goldenChecks, urlSafeSegment } from './settings';
export type { GoldenCheck } from './settings';
