// Public surface of @onnx-serve/feature-spec: pure TypeScript, no I/O, no onnxruntime.
export {
  featureTypes,
  tensorDtypes,
  featureSpecSchema,
  inputMappingSchema,
  outputMappingSchema,
  modelSpecSchema,
} from './model-spec';
export type {
  FeatureType,
  TensorDtype,
  FeatureValue,
  FeatureSpec,
  InputMapping,
  OutputMapping,
  ModelSpec,
} from './model-spec';
export type { TensorSignature, ModelSignature, TensorData, BatchTensor, TensorMap } from './tensors';
