// Public surface of @onnx-serve/inference: the only project that imports onnxruntime-node.
export { patchOnnxModel, OnnxPatchError } from './onnx/patch-onnx-model';
export { externalDataFiles } from './onnx/external-data';
export type { PatchOptions, PatchResult } from './onnx/patch-onnx-model';
export { LocalModelStore, ModelStoreError, urlSafeSegment } from './store/model-store';
export type { ModelRef, ModelStore, StoreScan } from './store/model-store';
export { loadModel, defaultMaxRowsPerRun } from './load-model';
export type { LoadOptions, LoadedModel } from './load-model';
export { ModelRegistry, loadModels } from './model-registry';
export type { LoadModelsOptions, ModelLoadFailure, ModelSummary } from './model-registry';
export { ModelLoadError, InvalidFeedsError } from './errors';
export { draftModelSpec } from './draft-model-spec';
export type { DraftOptions, DraftResult } from './draft-model-spec';
