// ModelInfer's messages to and from the transport-neutral Open Inference core: a request's typed `contents` or
// `raw_input_contents` become the core's InferInput (JSON-like `data`, or raw little-endian bytes), and the output
// tensors go back as typed contents or, when the request sent raw inputs (as Triton answers), as raw_output_contents.
// Only what is gRPC's own is checked here (a contents field that is not the datatype's, BYTES that are not UTF-8, a
// shape that is no list of dims); everything that depends on the model is the core's, told all at once.
import { tensorToBytes } from '@onnx-serve/feature-spec';
import { v2Datatypes, type V2Datatype } from '../open-inference/datatypes';
import { InferRequestError } from '../open-inference/errors';
import type { InferInput, InferRequestMessage } from '../open-inference/infer-request';
import type { OutputTensor } from '../open-inference/infer-response';

/** InferTensorContents as proto-loader decodes it (grpc-protos.ts options: 64-bit integers as decimal strings). */
export interface TensorContents {
  bool_contents: boolean[];
  int_contents: number[];
  int64_contents: string[];
  uint_contents: number[];
  uint64_contents: string[];
  fp32_contents: number[];
  fp64_contents: number[];
  bytes_contents: Buffer[];
}

type ContentsField = keyof TensorContents;

/** InferParameter: `parameter_choice` names the field that is set. */
export type InferParameter = { parameter_choice?: string } & Record<string, unknown>;

export interface InferInputTensor {
  name: string;
  datatype: string;
  shape: string[];
  parameters: Record<string, InferParameter>;
  contents: TensorContents | null;
}

export interface ModelInferRequest {
  model_name: string;
  model_version: string;
  id: string;
  parameters: Record<string, InferParameter>;
  inputs: InferInputTensor[];
  outputs: { name: string; parameters: Record<string, InferParameter> }[];
  raw_input_contents: Buffer[];
}

export interface InferOutputTensor {
  name: string;
  datatype: string;
  shape: number[];
  contents: Partial<Record<ContentsField, unknown[]>> | null;
}

export interface ModelInferResponse {
  model_name: string;
  model_version: string;
  id: string;
  outputs: InferOutputTensor[];
  raw_output_contents: Buffer[];
}

/** The field each datatype's elements go in; FP16 has none (raw only, as the specification says). */
const contentsFields: Readonly<Record<V2Datatype, ContentsField | undefined>> = {
  BOOL: 'bool_contents',
  UINT8: 'uint_contents',
  UINT16: 'uint_contents',
  UINT32: 'uint_contents',
  UINT64: 'uint64_contents',
  INT8: 'int_contents',
  INT16: 'int_contents',
  INT32: 'int_contents',
  INT64: 'int64_contents',
  FP16: undefined,
  FP32: 'fp32_contents',
  FP64: 'fp64_contents',
  BYTES: 'bytes_contents',
};

const isV2Datatype = (datatype: string): datatype is V2Datatype => (v2Datatypes as readonly string[]).includes(datatype);

/** The contents field of a datatype's elements; undefined for FP16 and any name that is no V2 datatype. */
export function contentsFieldOf(datatype: string): ContentsField | undefined {
  return isV2Datatype(datatype) ? contentsFields[datatype] : undefined;
}

const floatArrays: Readonly<Record<string, { dtype: 'float32' | 'float64'; array: typeof Float32Array | typeof Float64Array }>> = {
  FP32: { dtype: 'float32', array: Float32Array },
  FP64: { dtype: 'float64', array: Float64Array },
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface ReadInferMessage {
  request: InferRequestMessage;
  /** The inputs came as raw_input_contents: the outputs go back as raw_output_contents. */
  raw: boolean;
}

export function readInferMessage(message: ModelInferRequest): ReadInferMessage {
  const problems: string[] = [];
  const rawContents = message.raw_input_contents;
  const raw = rawContents.length > 0;
  if (raw && rawContents.length !== message.inputs.length) {
    problems.push(`raw_input_contents holds ${rawContents.length} entries, but the request has ${message.inputs.length} inputs: send one per input, in the order of inputs`);
  }
  const inputs = message.inputs.map((tensor, index): InferInput => {
    const named = `input ${JSON.stringify(tensor.name)}`;
    const shape = tensor.shape.map((dim, axis) => {
      const value = Number(dim);
      if (!Number.isSafeInteger(value) || value < 0) problems.push(`${named}: shape[${axis}] must be a non-negative integer, got ${dim}`);
      return value;
    });
    const input: InferInput = { name: tensor.name, datatype: tensor.datatype, shape, parameters: parameterValues(tensor.parameters) };
    const data = contentsData(tensor, (problem) => problems.push(`${named}: ${problem}`));
    const rawBytes = raw ? rawContents[index] : undefined;
    if (rawBytes !== undefined) input.raw = rawBytes;
    if (data !== undefined) {
      // Typed floats are already IEEE values of their datatype, NaN and ±Inf included, as raw bytes would carry them
      // (JSON's data has no NaN, so the codec refuses one there): when they fill the shape they go in as bytes.
      const elements = shape.reduce((product, dim) => product * dim, 1);
      const float = floatArrays[tensor.datatype];
      if (float && rawBytes === undefined && data.length === elements) input.raw = tensorToBytes({ dtype: float.dtype, data: float.array.from(data as number[]) });
      else input.data = data;
    }
    return input;
  });
  if (problems.length > 0) throw new InferRequestError(problems.join('; '));
  return {
    raw,
    request: {
      // proto3 has no unset string: an empty id is none, and the answer carries the request id instead.
      ...(message.id === '' ? {} : { id: message.id }),
      parameters: parameterValues(message.parameters),
      inputs,
      ...(message.outputs.length === 0 ? {} : { outputs: message.outputs.map(({ name, parameters }) => ({ name, parameters: parameterValues(parameters) })) }),
    },
  };
}

/** An input's typed contents as elements the codec reads (undefined when it has none), or a problem reported. */
function contentsData(tensor: InferInputTensor, report: (problem: string) => void): unknown[] | undefined {
  const { contents, datatype } = tensor;
  if (!contents) return undefined;
  const filled = (Object.keys(contents) as ContentsField[]).filter((field) => contents[field].length > 0);
  if (filled.length === 0) return undefined;
  // An unknown datatype is the core's to name; the model's datatype is what it is compared with.
  if (!isV2Datatype(datatype)) return filled.flatMap((name): unknown[] => contents[name]);
  const field = contentsFields[datatype];
  if (!field) {
    report(`${datatype} has no typed contents: send it in raw_input_contents`);
    return undefined;
  }
  const misplaced = filled.filter((name) => name !== field);
  if (misplaced.length > 0) {
    report(`${datatype} elements go in contents.${field}, not ${misplaced.map((name) => `contents.${name}`).join(', ')}`);
    return undefined;
  }
  if (field !== 'bytes_contents') return contents[field];
  return contents.bytes_contents.map((bytes, i) => {
    try {
      return utf8.decode(bytes);
    } catch {
      report(`contents.bytes_contents[${i}] is not valid UTF-8`);
      return '';
    }
  });
}

function parameterValues(parameters: Record<string, InferParameter>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(parameters).map(([name, parameter]) => [name, parameter.parameter_choice && parameter[parameter.parameter_choice]]));
}

export interface InferAnswer {
  modelName: string;
  modelVersion: string;
  id: string;
  outputs: OutputTensor[];
  /** Answer in raw_output_contents (the request sent raw inputs). */
  raw: boolean;
}

export function inferResponse({ modelName, modelVersion, id, outputs, raw }: InferAnswer): ModelInferResponse {
  // raw_output_contents is all or nothing, and FP16 has no typed field: one FP16 output makes the whole answer raw.
  const asRaw = raw || outputs.some((output) => contentsFields[output.datatype] === undefined);
  return {
    model_name: modelName,
    model_version: modelVersion,
    id,
    outputs: outputs.map(({ name, datatype, shape, tensor }) => {
      const field = contentsFields[datatype];
      return { name, datatype, shape, contents: asRaw || !field ? null : { [field]: typedContents(tensor) } };
    }),
    raw_output_contents: asRaw
      ? outputs.map(({ tensor }) => {
          const bytes = tensorToBytes(tensor);
          return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        })
      : [],
  };
}

/** An output's elements as its contents field takes them: 64-bit integers as exact decimal strings. */
function typedContents({ dtype, data }: OutputTensor['tensor']): unknown[] {
  if (dtype === 'string') return (data as string[]).map((text) => Buffer.from(text, 'utf8'));
  if (dtype === 'bool') return Array.from(data as Uint8Array, (value) => value !== 0);
  if (dtype === 'int64' || dtype === 'uint64') return Array.from(data as BigInt64Array, (value) => value.toString());
  return Array.from(data as Float32Array);
}
