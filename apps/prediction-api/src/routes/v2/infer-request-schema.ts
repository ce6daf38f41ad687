// The JSON shape of a V2 inference request (types only: tensors are checked against the model in infer-request.ts),
// and its problems in words that name the input concerned.
import * as z from 'zod';
import { v2Datatypes } from '../../open-inference/datatypes';
import { InferRequestError } from '../../open-inference/errors';
import type { InferRequestMessage } from '../../open-inference/infer-request';

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
    data: z.array(z.unknown(), { error: 'must be an array, flat row-major or nested like the shape' }),
  },
  { error: 'must be an object with name, shape, datatype and data' },
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

/** A REST JSON body as the protocol's request, or a 400 naming every field that does not fit the schema. */
export function parseInferBody(body: unknown): InferRequestMessage {
  const parsed = inferRequestSchema.safeParse(body);
  if (!parsed.success) throw new InferRequestError(parsed.error.issues.map((issue) => issueText(issue, body)).join('; '));
  const binary = parsed.data.inputs.filter((input) => input.parameters?.['binary_data_size'] !== undefined);
  if (binary.length > 0) {
    throw new InferRequestError(binary.map((input) => `input ${JSON.stringify(input.name)}: binary tensor data is not supported; send the elements as JSON in "data"`).join('; '));
  }
  return parsed.data;
}
