// BatchTensor ↔ onnxruntime Tensor. Data is handed over as is: int64 stays BigInt64Array (turning it into JSON
// numbers is feature-spec's job).
import type { BatchTensor, TensorMap } from '@onnx-serve/feature-spec';
import * as ort from 'onnxruntime-node';
import { isTensorDtype } from './signature';

export function toOrtFeeds(feeds: TensorMap): Record<string, ort.Tensor> {
  const result: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(feeds)) result[name] = new ort.Tensor(t.dtype, t.data as ort.Tensor.DataType, t.dims);
  return result;
}

export function fromOrtOutputs(outputs: ort.InferenceSession.OnnxValueMapType): TensorMap {
  const result: TensorMap = {};
  for (const [name, value] of Object.entries(outputs)) result[name] = toBatchTensor(name, value);
  return result;
}

function toBatchTensor(name: string, tensor: ort.OnnxValue): BatchTensor {
  if (!isTensorDtype(tensor.type)) throw new Error(`output ${JSON.stringify(name)} has the unsupported type ${tensor.type}`);
  return { dtype: tensor.type, dims: [...tensor.dims], data: tensor.data as BatchTensor['data'] };
}
