// Public surface of @onnx-serve/feature-spec: pure TypeScript, no I/O, no onnxruntime.
export { tensorDtypes, modelSpecSchema } from './model-spec';
export type { TensorDtype, FeatureSpec, ModelSpec, BatchingSpec } from './model-spec';
export { tensorArrayTypes } from './tensors';
export type { TensorSignature, ModelSignature, TensorData, BatchTensor, TensorMap } from './tensors';
export { elementForm, toElement, elementNoun, fromElements, elementsToJson, readNested, wideIntegerPattern } from './tensor-codec';
export type { JsonElement, NestingProblem } from './tensor-codec';
export { elementByteSize, tensorFromBytes, tensorToBytes } from './tensor-bytes';
export { isFeedable } from './dtypes';

export { SpecError, RequestValidationError } from './errors';
export type { FieldIssue } from './errors';

export { parseModelSpec } from './parse-model-spec';
export { checkSpecAgainstSignature } from './check-signature';
export { draftSpecFromSignature } from './draft-spec';
export type { KnownNames } from './draft-spec';

export { createFeatureValidator } from './feature-validator';
export { defaultMaxInstances } from './settings';
export type { ValidatorOptions } from './instances-body';
export { instanceSchema, exampleInstance } from './instance-schema';

export { batchInputsBuilder, toBatchInputs } from './batch-inputs';
export { readPredictions } from './predictions';

export { createRawValidator } from './raw-validator';
export { readRawPredictions } from './raw-predictions';

export { parseGoldenFile } from './golden/golden-file';
export type { GoldenFile } from './golden/golden-file';
export { goldenFeatureInstances, goldenRawInstances } from './golden/golden-instances';
export { defaultGoldenTolerance } from './golden/golden-compare';
export type { GoldenTolerance, GoldenReport } from './golden/golden-compare';
export { judgeGoldenAnswers, refusedRows, answeredOutputs } from './golden/golden-answers';
export type { GoldenAnswers } from './golden/golden-answers';
export { formatGoldenReport } from './golden/golden-report';
