// The outputs of one run as V2 response tensors: name, datatype, shape and flat row-major data.
import { elementsToJson, type JsonElement, type TensorMap } from '@onnx-serve/feature-spec';
import { v2DatatypeOf, type V2Datatype } from './v2-datatypes';

export interface ResponseOutput {
  name: string;
  datatype: V2Datatype;
  shape: number[];
  data: JsonElement[];
}

export function responseOutputs(names: string[], outputs: TensorMap): ResponseOutput[] {
  return names.map((name) => {
    const tensor = outputs[name];
    // Names were checked against the signature, so a missing one is the runtime's fault: a 500, logged.
    if (!tensor) throw new Error(`the model returned no output ${JSON.stringify(name)} (it returned ${Object.keys(outputs).join(', ')})`);
    return { name, datatype: v2DatatypeOf(tensor.dtype), shape: [...tensor.dims], data: elementsToJson(tensor) };
  });
}
