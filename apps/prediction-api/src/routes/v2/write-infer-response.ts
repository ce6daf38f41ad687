// The answer to a V2 infer request: all JSON, or, where the request asks for binary outputs (Triton's binary tensor
// data extension: parameters.binary_data per output, else parameters.binary_data_output for the request), a JSON
// header whose binary outputs carry parameters.binary_data_size, followed by their raw bytes in the same order,
// with Content-Type application/octet-stream and the header's length in Inference-Header-Content-Length, as Triton
// answers.
import { tensorToBytes } from '@onnx-serve/feature-spec';
import type { Context } from 'hono';
import type { AppEnv } from '../../app-env';
import type { InferRequestMessage } from '../../open-inference/infer-request';
import { jsonOutput, type OutputTensor } from '../../open-inference/infer-response';
import { headerLengthHeader } from './read-infer-body';

export interface InferResponseHead {
  model_name: string;
  model_version: string;
  id: string;
}

/** Whether each output goes as binary: its own binary_data, else the request's binary_data_output, else JSON. */
export function binaryOutputChoice(request: InferRequestMessage): (name: string) => boolean {
  const all = request.parameters?.['binary_data_output'] === true;
  const asked = new Map(request.outputs?.map((output) => [output.name, output.parameters?.['binary_data']]));
  return (name) => {
    const one = asked.get(name);
    return typeof one === 'boolean' ? one : all;
  };
}

const utf8 = new TextEncoder();

export function inferResponse(c: Context<AppEnv>, head: InferResponseHead, tensors: OutputTensor[], binary: (name: string) => boolean): Response {
  const chunks: Uint8Array[] = [];
  const outputs = tensors.map((tensor) => {
    if (!binary(tensor.name)) return jsonOutput(tensor);
    const bytes = tensorToBytes(tensor.tensor);
    chunks.push(bytes);
    const { name, datatype, shape } = tensor;
    return { name, datatype, shape, parameters: { binary_data_size: bytes.length } };
  });
  const body = { ...head, outputs };
  if (chunks.length === 0) return c.json(body);
  const header = utf8.encode(JSON.stringify(body));
  const answer = new Uint8Array(header.length + chunks.reduce((total, chunk) => total + chunk.length, 0));
  answer.set(header);
  let offset = header.length;
  for (const chunk of chunks) {
    answer.set(chunk, offset);
    offset += chunk.length;
  }
  return c.body(answer, 200, { 'content-type': 'application/octet-stream', [headerLengthHeader]: String(header.length) });
}
