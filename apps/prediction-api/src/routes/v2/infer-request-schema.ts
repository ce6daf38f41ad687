// The JSON shape of a V2 inference request (types only: tensors are checked against the model in infer-request.ts),
// and its problems in words that name the input concerned. With Triton's binary tensor data extension an input
// gives parameters.binary_data_size instead of data, and its bytes follow the JSON header (see binary-body.ts).
import * as z from 'zod';
import { InferRequestError } from '../../open-inference/errors';
import type { InferInput, InferRequestMessage } from '../../open-inference/infer-request';
import { quote } from '../../open-inference/tensor-data';
import { v2Datatypes } from '../../open-inference/datatypes';

const nonEmptyName = z.string({ error: 'must be a string' }).min(1, 'must be a non-empty string');
const parameters = z.record(z.string(), z.unknown(), { error: 'must be an object' });

const requestInput = z.object(
  {
    name: nonEmptyName,
    shape: z.array(z.int({ error: 'must be a non-negative integer' }).min(0, 'must be a non-negative integer'), {
      error: 'must be an array of dims',
    }),
    datatype: z.string({ error: `must be one of ${v2Datatypes.join(', ')}` }),
    parameters: parameters.optional(),
    data: z.array(z.unknown(), { error: 'must be an array, flat row-major or nested like the shape' }).optional(),
  },
  { error: 'must be an object with name, shape, datatype and data (or parameters.binary_data_size)' },
);

export const inferRequestSchema = z.object(
  {
    id: z.string({ error: 'must be a string' }).optional(),
    parameters: parameters.optional(),
    inputs: z.array(requestInput, { error: 'must be an array of input tensors' }).min(1, 'must hold at least one input tensor'),
    outputs: z
      .array(z.object({ name: nonEmptyName, parameters: parameters.optional() }, { error: 'must be an object with a name' }), {
        error: 'must be an array of {"name": ...} objects',
      })
      .optional(),
  },
  { error: 'must be a JSON object with "inputs"' },
);

export type InferRequestBody = z.infer<typeof inferRequestSchema>;
export type RequestInput = InferRequestBody['inputs'][number];

/** ['inputs', 0, 'shape', 1] → "inputs[0].shape[1]". */
function pathText(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');
}

/** A schema issue in words; under an input that has a name, the input is named rather than numbered. */
export function issueText(issue: { path: readonly PropertyKey[]; message: string }, body: unknown): string {
  const [first, index, ...rest] = issue.path;
  if (first === 'inputs' && typeof index === 'number' && rest.length > 0) {
    const name = (body as { inputs: { name?: unknown }[] }).inputs[index]?.name;
    if (typeof name === 'string' && name !== '') return `input ${JSON.stringify(name)}: ${pathText(rest)} ${issue.message}`;
  }
  return `${issue.path.length === 0 ? 'the request body' : pathText(issue.path)} ${issue.message}`;
}

/**
 * A REST body as the protocol's request, or a 400 naming every field that does not fit. `binary` is what follows
 * the JSON header when the request has an Inference-Header-Content-Length: the bytes of the inputs that give
 * parameters.binary_data_size, back to back in the order of the inputs.
 */
export function parseInferBody(body: unknown, binary?: Uint8Array): InferRequestMessage {
  const parsed = inferRequestSchema.safeParse(body);
  if (!parsed.success) throw new InferRequestError(parsed.error.issues.map((issue) => issueText(issue, body)).join('; '));
  const request = parsed.data;
  const problems = [...request.inputs.flatMap(inputFormProblem), ...outputFormProblems(request)];
  if (problems.length > 0) throw new InferRequestError(problems.join('; '));
  return { ...request, inputs: withBinaryData(request.inputs, binary) };
}

const binarySize = (input: RequestInput): unknown => input.parameters?.['binary_data_size'];

/** An input gives its elements one way: JSON data, or a byte count of binary data after the header. */
function inputFormProblem(input: RequestInput): string[] {
  const named = `input ${JSON.stringify(input.name)}`;
  const size = binarySize(input);
  if (size === undefined) return input.data === undefined ? [`${named}: has no data: give "data", or parameters.binary_data_size and its bytes after the JSON header`] : [];
  if (!Number.isSafeInteger(size) || (size as number) < 0) {
    return [`${named}: parameters.binary_data_size must be a non-negative integer (the byte length of its binary data), got ${quote(size)}`];
  }
  return input.data === undefined ? [] : [`${named}: gives both "data" and parameters.binary_data_size; send its elements one way`];
}

/** binary_data (per output) and binary_data_output (per request) ask for binary outputs: they must be booleans. */
function outputFormProblems(request: InferRequestBody): string[] {
  const notBoolean = (value: unknown) => value !== undefined && typeof value !== 'boolean';
  const problems: string[] = [];
  const all = request.parameters?.['binary_data_output'];
  if (notBoolean(all)) problems.push(`parameters.binary_data_output must be true or false, got ${quote(all)}`);
  for (const output of request.outputs ?? []) {
    const one = output.parameters?.['binary_data'];
    if (notBoolean(one)) problems.push(`output ${JSON.stringify(output.name)}: parameters.binary_data must be true or false, got ${quote(one)}`);
  }
  return problems;
}

/** Each binary input with its slice of the bytes after the header, once the sizes are known to add up. */
function withBinaryData(inputs: RequestInput[], binary: Uint8Array | undefined): InferInput[] {
  const binaryInputs = inputs.filter((input) => binarySize(input) !== undefined);
  const sizes = binaryInputs.map((input) => `${JSON.stringify(input.name)} ${binarySize(input) as number}`).join(', ');
  if (binary === undefined) {
    if (binaryInputs.length === 0) return inputs;
    throw new InferRequestError(
      `binary data (parameters.binary_data_size on ${sizes}) needs the Inference-Header-Content-Length header to say where the JSON ends`,
    );
  }
  const total = binaryInputs.reduce((sum, input) => sum + (binarySize(input) as number), 0);
  if (total !== binary.length) {
    const declared = binaryInputs.length === 0 ? 'no input gives parameters.binary_data_size' : `the inputs' binary_data_size add up to ${total} (${sizes})`;
    throw new InferRequestError(`the body holds ${binary.length} bytes after the JSON header, but ${declared}`);
  }
  let offset = 0;
  return inputs.map((input) => {
    const size = binarySize(input) as number | undefined;
    if (size === undefined) return input;
    const raw = binary.subarray(offset, offset + size);
    offset += size;
    return { ...input, raw };
  });
}
