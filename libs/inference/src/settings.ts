// @onnx-serve/inference/settings: what a process needs to read and check its configuration, without loading the
// library itself (onnxruntime-node). The server's cluster primary reads its config from here before it forks.
export { defaultMaxRowsPerRun } from './session/chunked-runner';
export { goldenChecks } from './verify/golden-check-modes';
export type { GoldenCheck } from './verify/golden-check-modes';
export { urlSafeSegment } from './store/model-store';
