// Public surface of @onnx-serve/testing: helpers for tests only (lint keeps production code from importing it),
// shared by the app's tests and the image tests in deploy/, which may not import the app.
export { bundledModelDir } from './fixtures';
export {
  readGolden,
  goldenInstances,
  goldenPredictions,
  goldenRelativeTolerance,
  expectClose,
  expectSamePrediction,
  goldenStore,
  removeGoldenStores,
} from './golden';
export type { Golden, GoldenValue } from './golden';
export { parseExposition, sampleValue } from './prometheus-text';
export type { Sample } from './prometheus-text';
export { restApiEvent, httpApiEvent, functionUrlEvent, lambdaContext } from './lambda-events';
export type { HttpRequest, LambdaEvent } from './lambda-events';
