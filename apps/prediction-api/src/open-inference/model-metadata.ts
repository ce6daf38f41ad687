// What GET /v2/models/{name} tells about a model: its versions and each input and output tensor as V2 names them.
import type { TensorSignature } from '@onnx-serve/feature-spec';
import type { LoadedModel } from '@onnx-serve/inference';
import { returnedOutputs, v2Shape } from './infer-request';
import { v2DatatypeOf, type V2Datatype } from './datatypes';

/** The platform name Triton gives ONNX Runtime models; clients that branch on it know what to expect. */
export const onnxPlatform = 'onnxruntime_onnx';

export interface TensorMetadata {
  name: string;
  datatype: V2Datatype;
  /** -1 for a dynamic axis. */
  shape: number[];
}

export interface ModelMetadata {
  name: string;
  versions: string[];
  platform: string;
  inputs: TensorMetadata[];
  outputs: TensorMetadata[];
}

function tensorMetadata(tensors: TensorSignature[]): TensorMetadata[] {
  return tensors.flatMap((tensor) =>
    tensor.dtype === 'unsupported' ? [] : [{ name: tensor.name, datatype: v2DatatypeOf(tensor.dtype), shape: v2Shape(tensor) }],
  );
}

export function modelMetadata(model: LoadedModel, versions: string[]): ModelMetadata {
  return {
    name: model.name,
    versions,
    platform: onnxPlatform,
    inputs: tensorMetadata(model.signature.inputs),
    outputs: tensorMetadata(returnedOutputs(model.signature)),
  };
}
