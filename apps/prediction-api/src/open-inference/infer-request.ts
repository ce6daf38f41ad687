// An Open Inference Protocol request, as any transport hands it over (REST JSON, REST binary, gRPC), read against the
// model's ONNX signature: the tensors to feed, the outputs to return and the request id. Each problem is a 400 that
// names the input or output concerned; all of them are told at once.
import {
  elementNoun,
  fromElements,
  tensorFromBytes,
  toElement,
  type BatchTensor,
  type ModelSignature,
  type TensorMap,
  type TensorSignature,
} from '@onnx-serve/feature-spec';
import type { ServiceLimits } from '../service-limits';
import { v2DatatypeOf, v2Datatypes } from './datatypes';
import { InferRequestError, UnservableModelError } from './errors';
import { readTensorData, shapeText } from './tensor-data';

/** One input tensor as the transport read it: its elements either as JSON values or as raw little-endian bytes. */
export interface InferInput {
  name: string;
  datatype: string;
  shape: number[];
  parameters?: Record<string, unknown>;
  /** JSON elements, flat row-major or nested like the shape (REST JSON, gRPC typed contents). */
  data?: unknown[];
  /** Raw bytes (the REST binary extension, gRPC raw_input_contents); see feature-spec's tensorFromBytes. */
  raw?: Uint8Array;
}

export interface RequestedOutput {
  name: string;
  parameters?: Record<string, unknown>;
}

/** The request as the protocol defines it, whatever carried it. */
export interface InferRequestMessage {
  id?: string;
  parameters?: Record<string, unknown>;
  inputs: InferInput[];
  outputs?: RequestedOutput[];
}

export interface InferRequest {
  /** The caller's request id, echoed back. */
  id: string | undefined;
  feeds: TensorMap;
  /** Outputs to return, in order: the ones asked for, or every output the model returns. */
  outputs: string[];
  /** Axis 0 of the first input: the rows of the batch, for the request log. */
  batchSize: number;
}

export type InferLimits = Pick<ServiceLimits, 'maxInstances' | 'maxStringLength'>;

/** Model shapes as V2 writes them: -1 for a dynamic axis. */
export function v2Shape(tensor: TensorSignature): number[] {
  return tensor.shape.map((dim) => dim ?? -1);
}

/** The outputs a client can ask for: a non-tensor output (other than a ZipMap, served as a tensor) is not fetched. */
export function returnedOutputs(signature: ModelSignature): TensorSignature[] {
  return signature.outputs.filter((output) => output.dtype !== 'unsupported');
}

export function readInferRequest(request: InferRequestMessage, signature: ModelSignature, limits: InferLimits): InferRequest {
  const untensored = signature.inputs.find((input) => input.dtype === 'unsupported');
  if (untensored) {
    throw new UnservableModelError(`input ${JSON.stringify(untensored.name)} of this model is not a tensor (a sequence or a map): the V2 API cannot feed it`);
  }
  const problems: string[] = [];
  const inputNames = signature.inputs.map((input) => input.name).join(', ');
  const given = new Map<string, InferInput>();
  for (const input of request.inputs) {
    const named = `input ${JSON.stringify(input.name)}`;
    if (!signature.inputs.some((expected) => expected.name === input.name)) {
      problems.push(`unknown ${named}; the model's inputs are: ${inputNames}`);
    } else if (given.has(input.name)) problems.push(`${named} is given more than once`);
    else given.set(input.name, input);
  }
  const feeds: TensorMap = {};
  for (const expected of signature.inputs) {
    const input = given.get(expected.name);
    const named = `input ${JSON.stringify(expected.name)}`;
    if (!input) {
      problems.push(`missing ${named}; the model's inputs are: ${inputNames}`);
      continue;
    }
    const tensor = readInput(input, expected, limits);
    if (typeof tensor === 'string') problems.push(`${named}: ${tensor}`);
    else feeds[expected.name] = tensor;
  }
  if (problems.length === 0) problems.push(...batchSizeProblems(signature, feeds));
  const outputs = requestedOutputs(request.outputs?.map((output) => output.name), signature, problems);
  if (problems.length > 0) throw new InferRequestError(problems.join('; '));
  const first = signature.inputs[0];
  return { id: request.id, feeds, outputs, batchSize: (first && feeds[first.name]?.dims[0]) ?? 1 };
}

/** The input as a tensor to feed, or what is wrong with it. */
function readInput(input: InferInput, expected: TensorSignature, limits: InferLimits): BatchTensor | string {
  const { dtype } = expected;
  if (dtype === 'unsupported') throw new Error(`input ${expected.name} is not a tensor: readInferRequest refuses such models`);
  const datatype = v2DatatypeOf(dtype);
  if (input.datatype !== datatype) {
    const known = (v2Datatypes as readonly string[]).includes(input.datatype);
    const given = known ? input.datatype : `${JSON.stringify(input.datatype)} (not a V2 datatype)`;
    return `datatype ${given} does not match the model's ${datatype}`;
  }
  const misfit = shapeMisfit(input.shape, expected.shape);
  if (misfit) return `shape ${shapeText(input.shape)} does not fit the model's ${shapeText(v2Shape(expected))}: ${misfit}`;
  const rows = input.shape[0] ?? 0;
  if (expected.shape[0] === null && rows > limits.maxInstances) {
    return `holds ${rows} rows (axis 0), more than the limit of ${limits.maxInstances}`;
  }
  const { maxStringLength } = limits;
  if (input.raw !== undefined) {
    if (input.data !== undefined) return 'gives its elements both as data and as raw bytes; send one';
    const count = input.shape.reduce((product, dim) => product * dim, 1);
    const data = tensorFromBytes(dtype, input.raw, count, { maxStringLength });
    return typeof data === 'string' ? `raw ${datatype} data ${data} (shape ${shapeText(input.shape)})` : { dtype, dims: [...input.shape], data };
  }
  if (input.data === undefined) return 'has no data';
  const read = (value: unknown) => toElement(dtype, value, { maxStringLength });
  const result = readTensorData(input.data, input.shape, read, elementNoun(dtype, { datatype, maxStringLength }));
  if (typeof result === 'string') return result;
  return { dtype, dims: [...input.shape], data: fromElements(dtype, result) };
}

/** Why a request shape does not fit the model's: fixed axes must be equal, dynamic ones at least 1. */
function shapeMisfit(shape: readonly number[], modelShape: readonly (number | null)[]): string | undefined {
  if (shape.length !== modelShape.length) return `its rank is ${shape.length}, the model's is ${modelShape.length}`;
  for (const [axis, dim] of modelShape.entries()) {
    if (dim === null && (shape[axis] ?? 0) < 1) return `axis ${axis} is dynamic but must be at least 1`;
    if (dim !== null && shape[axis] !== dim) return `axis ${axis} must be ${dim}`;
  }
  return undefined;
}

/** Inputs that all batch along axis 0 must agree on how many rows there are. */
function batchSizeProblems(signature: ModelSignature, feeds: TensorMap): string[] {
  const { inputs } = signature;
  if (inputs.length < 2 || inputs.some((input) => input.shape[0] !== null)) return [];
  const rows = inputs.map((input) => ({ name: input.name, rows: feeds[input.name]?.dims[0] }));
  if (new Set(rows.map((r) => r.rows)).size === 1) return [];
  return [`inputs disagree on the batch size (axis 0): ${rows.map((r) => `${JSON.stringify(r.name)} has ${r.rows}`).join(', ')}`];
}

/** The names asked for (each once, each an output the model returns), or all the model returns. */
function requestedOutputs(names: string[] | undefined, signature: ModelSignature, problems: string[]): string[] {
  const available = returnedOutputs(signature).map((output) => output.name);
  if (!names) return available;
  names.forEach((name, i) => {
    const named = `output ${JSON.stringify(name)}`;
    if (!available.includes(name)) problems.push(`unknown ${named}; the model's outputs are: ${available.join(', ')}`);
    else if (names.indexOf(name) !== i) problems.push(`${named} is requested more than once`);
  });
  return names;
}
