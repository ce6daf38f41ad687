// Raw mode (a model served without a spec) described from its ONNX signature, the same rules the raw validator
// applies: an instance is the input's row as nested arrays (an object keyed by input name when there are several),
// and a prediction holds each output's row keyed by output name.
import { elementForm, isFeedable, wideIntegerPattern, type ModelSignature, type TensorDtype, type TensorSignature } from '@onnx-serve/feature-spec';
import * as z from 'zod';

/** An element as the tensor codec reads it (strictly: the lenient strings v1 also takes are not advertised). */
function elementSchema(dtype: TensorDtype, maxStringLength?: number): z.ZodType {
  const form = elementForm(dtype);
  if (form.type === 'string') return maxStringLength === undefined ? z.string() : z.string().max(maxStringLength);
  if (form.type === 'boolean') return z.boolean();
  if (form.type === 'number') return z.number();
  const description = { description: `an ${dtype} value` };
  // Beyond 2^53 a 64-bit integer cannot travel as a JSON number, so it may be sent (and comes back) as a string.
  if (form.wide) return z.union([z.int(), z.string().regex(wideIntegerPattern)]).meta(description);
  return z.int().min(Number(form.min)).max(Number(form.max)).meta(description);
}

function inputElementSchema(dtype: TensorDtype | 'unsupported', maxStringLength?: number): z.ZodType {
  if (dtype === 'unsupported') return z.never().meta({ description: 'v1 cannot feed an input that is not a tensor' });
  if (!isFeedable(dtype)) return z.never().meta({ description: `v1 cannot feed ${dtype} inputs (POST /v2/models/{name}/infer can)` });
  return elementSchema(dtype, maxStringLength);
}

/** Arrays nested like `dims` around the element; a dynamic dim (null) takes any non-empty length. */
function nested(element: z.ZodType, dims: (number | null)[]): z.ZodType {
  return dims.reduceRight<z.ZodType>((inner, dim) => (dim === null ? z.array(inner).min(1) : z.array(inner).length(dim)), element);
}

function rowSchema(tensor: TensorSignature, maxStringLength?: number): z.ZodType {
  const element = inputElementSchema(tensor.dtype, maxStringLength);
  const rowDims = tensor.shape.slice(1);
  if (rowDims.length === 0) return element;
  const rows = nested(element, rowDims);
  // A row of one element may be sent as the bare value.
  return rowDims.every((dim) => dim === 1) ? z.union([rows, element]) : rows;
}

/** The schema of one raw-mode instance, from the model's ONNX inputs. */
export function rawInstanceSchema(signature: ModelSignature, options: { maxStringLength?: number } = {}): z.ZodType {
  const [single, ...others] = signature.inputs;
  if (single && others.length === 0) return rowSchema(single, options.maxStringLength);
  return z.strictObject(Object.fromEntries(signature.inputs.map((input) => [input.name, rowSchema(input, options.maxStringLength)])));
}

function exampleElement(dtype: TensorDtype | 'unsupported'): unknown {
  if (dtype === 'string') return 'text';
  return dtype === 'bool' ? false : 0;
}

function exampleRow(tensor: TensorSignature): unknown {
  const rowDims = tensor.shape.slice(1).map((dim) => dim ?? 1);
  return rowDims.reduceRight<unknown>((inner, dim) => Array.from({ length: dim }, () => inner), exampleElement(tensor.dtype));
}

/** A raw instance the validator accepts: zeros (or "text") in the row's shape, one element along each dynamic dim. */
export function rawExampleInstance(signature: ModelSignature): unknown {
  const [single, ...others] = signature.inputs;
  if (single && others.length === 0) return exampleRow(single);
  return Object.fromEntries(signature.inputs.map((input) => [input.name, exampleRow(input)]));
}

function outputRowSchema(tensor: TensorSignature): z.ZodType {
  if (tensor.zipMapClasses) {
    const classes = tensor.zipMapClasses.map(String);
    return z.record(z.enum(classes as [string, ...string[]]), z.number()).meta({ description: 'Probability per class (a ZipMap).' });
  }
  // readRawPredictions returns no other non-tensor output than a ZipMap.
  if (tensor.dtype === 'unsupported') throw new Error(`output ${tensor.name} is not a tensor`);
  const element = elementSchema(tensor.dtype);
  const rowDims = tensor.shape.slice(1);
  // One value per row comes back bare; a row whose size only the run knows may be either.
  if (rowDims.every((dim) => dim === 1)) return element;
  if (rowDims.every((dim) => dim !== null)) return nested(element, rowDims);
  return z.union([element, nested(element, rowDims)]);
}

/** The schema of one raw-mode prediction: every output the server returns, keyed by its ONNX name. */
export function rawPredictionSchemaFor(signature: ModelSignature): z.ZodType {
  const returned = signature.outputs.filter((output) => output.zipMapClasses !== undefined || output.dtype !== 'unsupported');
  return z.strictObject(Object.fromEntries(returned.map((output) => [output.name, outputRowSchema(output)])));
}
