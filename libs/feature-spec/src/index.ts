// Public surface of @onnx-serve/feature-spec: pure TypeScript, no I/O, no onnxruntime.
export {
  featureTypes,
  tensorDtypes,
  featureSpecSchema,
  inputMappingSchema,
  outputMappingSchema,
  modelSpecSchema,
  verifySpecSchema,
} from './model-spec';
export type {
  FeatureType,
  TensorDtype,
  FeatureValue,
  FeatureSpec,
  InputMapping,
  OutputMapping,
  ModelSpec,
  VerifySpec,
} from './model-spec';
export { tensorArrayTypes } from './tensors';
export type { TensorSignature, ModelSignature, TensorData, BatchTensor, TensorMap } from './tensors';
export { elementForm, toElement, elementNoun, fromElements, elementsToJson, readNested, wideIntegerPattern } from './tensor-codec';
export type { JsonElement, NestingProblem } from './tensor-codec';
export { isFeedable } from './dtypes';

export { SpecError, GoldenFileError, RequestValidationError } from './errors';
export type { FieldIssue } from './errors';

export { parseModelSpec } from './parse-model-spec';
export { checkSpecAgainstSignature } from './check-signature';
export { draftSpecFromSignature } from './draft-spec';
export type { DraftKnowledge, KnownNames, SpecDraft } from './draft-spec';
export { scoreKindEvidence } from './score-kind-evidence';
export type { ScoreKindEvidence } from './score-kind-evidence';

export { createFeatureValidator } from './feature-validator';
export type { ValidRow, ValidatedInstances } from './feature-validator';
export { defaultMaxInstances } from './instances-body';
export type { ValidatorOptions } from './instances-body';
export { instanceSchema, instanceJsonSchema, exampleInstance } from './instance-schema';
export type { JsonSchema } from './instance-schema';

export { toBatchInputs } from './batch-inputs';
export { readPredictions } from './predictions';
export type { Prediction, RegressionPrediction, ClassPrediction, ThresholdDecision } from './predictions';

export { createRawValidator } from './raw-validator';
export type { RawBatch } from './raw-validator';
export { readRawPredictions } from './raw-predictions';
export type { RawPrediction, RawValue } from './raw-predictions';

export { parseGoldenFile } from './golden/golden-file';
export type { GoldenFile, GoldenRow, GoldenValue, GoldenOutputRow } from './golden/golden-file';
export { goldenFeatureInstances, goldenRawInstances } from './golden/golden-instances';
export {
  compareGoldenOutputs,
  compareServedLabels,
  expectedOutputTensors,
  defaultGoldenTolerance,
} from './golden/golden-compare';
export type { GoldenTolerance, GoldenMismatch, OutputCheck, GoldenReport } from './golden/golden-compare';
export { judgeGoldenAnswers, refusedRows, answeredOutputs } from './golden/golden-answers';
export type { GoldenAnswers } from './golden/golden-answers';
export { formatGoldenReport } from './golden/golden-report';
