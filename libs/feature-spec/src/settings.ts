// @onnx-serve/feature-spec/settings: the limits' defaults alone, for a process that only reads its configuration
// (the server's cluster primary) and need not load the schemas and validators.
export { defaultMaxInstances } from './instances-body';
