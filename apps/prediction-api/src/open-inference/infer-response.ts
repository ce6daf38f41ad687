// The outputs of one run as protocol tensors: name, datatype, shape and the elements, which each transport writes
// its own way (REST as flat row-major JSON `data` or binary, gRPC as typed contents or raw bytes).
import { elementsToJson, type BatchTensor, type JsonElement, type TensorMap } from '@onnx-serve/feature-spec';
import { v2DatatypeOf, type V2Datatype } from './datatypes';

export interface OutputTensor {
  name: string;
  datatype: V2Datatype;
  shape: number[];
  tensor: BatchTensor;
}

/** An output as REST's JSON answer writes it. */
export interface ResponseOutput {
  name: string;
  datatype: V2Datatype;
  shape: number[];
  data: JsonElement[];
}

export function outputTensors(names: string[], outputs: TensorMap): OutputTensor[] {
  return names.map((name) => {
    const tensor = outputs[name];
    // Names were checked against the signature, so a missing one is the runtime's fault: a 500, logged.
    if (!tensor) throw new Error(`the model returned no output ${JSON.stringify(name)} (it returned ${Object.keys(outputs).join(', ')})`);
    return { name, datatype: v2DatatypeOf(tensor.dtype), shape: [...tensor.dims], tensor };
  });
}

export function jsonOutput({ name, datatype, shape, tensor }: OutputTensor): ResponseOutput {
  return { name, datatype, shape, data: elementsToJson(tensor) };
}
