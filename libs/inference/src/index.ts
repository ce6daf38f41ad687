// Public surface of @onnx-serve/inference: the only project that imports onnxruntime-node.
export { patchOnnxModel, OnnxPatchError } from './onnx/patch-onnx-model';
export { externalDataLocations } from './onnx/external-data';
export type { PatchOptions, PatchResult } from './onnx/patch-onnx-model';
export { LocalModelStore, ModelStoreError, urlSafeSegment } from './store/model-store';
export type { ModelRef, ModelStore, StoreScan } from './store/model-store';
export { loadModel, defaultMaxRowsPerRun } from './load-model';
export type { LoadOptions, LoadedModel } from './load-model';
export { ModelRegistry, loadModels } from './model-registry';
export type { LoadModelsOptions, ModelLoadFailure, ModelSummary } from './model-registry';
export { ModelLoadError, ModelStoreLoadError, InvalidFeedsError } from './errors';
export { createPredictor } from './predict/predictor';
export type { Predictor, PredictResult } from './predict/predictor';
export { verifyModel, goldenTolerance } from './verify/verify-model';
export type { VerifyOptions } from './verify/verify-model';
export { goldenChecks, readGoldenFile } from './verify/golden-check';
export type { GoldenCheck, GoldenCheckSummary, GoldenVerification } from './verify/golden-check';
export { draftModelSpec } from './draft-model-spec';
export type { DraftOptions, DraftResult } from './draft-model-spec';
