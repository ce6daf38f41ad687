// Raw mode, for a model served without a spec: each instance is the model's input row(s) as nested JSON arrays.
// Fixed dims are checked against the signature, dynamic ones must agree across the rows of one request.
import { elementNoun, fromElements, isFeedable, toElement, type Element } from './dtypes';
import { describeValue, RequestValidationError, type FieldIssue } from './errors';
import { instancePath, readInstancesBody, type ValidatorOptions } from './instances-body';
import type { TensorDtype } from './model-spec';
import { describeTensor, shapeText } from './tensor-shapes';
import type { ModelSignature, TensorMap, TensorSignature } from './tensors';
import { isPlainObject } from './wire-values';

export interface RawBatch {
  feeds: TensorMap;
  count: number;
}

interface RawInput {
  name: string;
  dtype: TensorDtype;
  /** Dims of one row (the signature's shape without the batch axis). */
  rowShape: (number | null)[];
  /** What a row must be, in words: `float32 of shape [10]`. */
  wanted: string;
  /** The row holds one element, so a bare value may stand for it. */
  scalar: boolean;
}

export function createRawValidator(
  signature: ModelSignature,
  options: ValidatorOptions = {},
): (body: unknown) => RawBatch {
  const inputs = signature.inputs.map(rawInput);
  const names = inputs.map((input) => input.name).join(', ');
  const maxStringLength = options.maxStringLength ?? Infinity;
  return (body) => {
    const { instances } = readInstancesBody(body, { maxInstances: options.maxInstances, allowBare: false });
    const issues: FieldIssue[] = batchIssues(signature.inputs, instances.length);
    const collectors = inputs.map((input) => new RowCollector(input, maxStringLength));
    const [single] = collectors;
    instances.forEach((instance, index) => {
      if (single && collectors.length === 1) {
        const problem = single.add(instance);
        if (problem) issues.push({ path: instancePath(false, index), message: problem });
        return;
      }
      if (!isPlainObject(instance)) {
        const message = `must be an object keyed by input name (${names}), got ${describeValue(instance)}`;
        issues.push({ path: instancePath(false, index), message });
        return;
      }
      for (const key of Object.keys(instance)) {
        if (!inputs.some((input) => input.name === key)) {
          issues.push({ path: instancePath(false, index, [key]), message: `unknown input; expected one of: ${names}` });
        }
      }
      for (const collector of collectors) {
        const { name, wanted } = collector.input;
        const value = instance[name];
        const problem = value === undefined ? `is required (${wanted})` : collector.add(value);
        if (problem) issues.push({ path: instancePath(false, index, [name]), message: problem });
      }
    });
    if (issues.length > 0) throw new RequestValidationError(issues);
    const feeds: TensorMap = {};
    for (const collector of collectors) feeds[collector.input.name] = collector.tensor(instances.length);
    return { feeds, count: instances.length };
  };
}

function rawInput(tensor: TensorSignature): RawInput {
  const { name, dtype, shape } = tensor;
  if (!isFeedable(dtype) || shape.length === 0) {
    throw new Error(`raw mode cannot feed ONNX input "${name}" (${describeTensor(tensor)}): no batch axis or unsupported type`);
  }
  const rowShape = shape.slice(1);
  const scalar = rowShape.every((dim) => dim === 1);
  const wanted = rowShape.length === 0 ? `a single ${dtype} value` : `${dtype} of shape ${shapeText(rowShape, false)}`;
  return { name, dtype, rowShape, wanted: scalar && rowShape.length > 0 ? `${wanted} or a bare value` : wanted, scalar };
}

// A graph with a fixed batch axis (exported with batch 1, say) takes exactly that many rows.
function batchIssues(inputs: TensorSignature[], count: number): FieldIssue[] {
  const fixed = inputs.find((input) => typeof input.shape[0] === 'number' && input.shape[0] !== count);
  if (!fixed) return [];
  const size = fixed.shape[0] === 1 ? '1 instance' : `${fixed.shape[0]} instances`;
  const message = `must hold exactly ${size} (ONNX input "${fixed.name}" is ${describeTensor(fixed)}), got ${count}`;
  return [{ path: 'instances', message }];
}

/** Gathers the rows of one input, fixing each dynamic dim at the first valid row that shows it. */
class RowCollector {
  private readonly elements: Element[] = [];
  private readonly dims: (number | null)[];

  constructor(
    readonly input: RawInput,
    private readonly maxStringLength: number,
  ) {
    this.dims = [...input.rowShape];
  }

  /**
   * Adds one row, or returns what is wrong with it (and adds nothing). Only a row's first problem is told: a wrong
   * row of 10,000 elements would otherwise flood the response.
   */
  add(value: unknown): string | undefined {
    const start = this.elements.length;
    const dims = [...this.dims];
    const depth = this.input.scalar && !Array.isArray(value) ? dims.length : 0;
    const problem = this.walk(value, depth, dims, '');
    if (problem) {
      this.elements.length = start;
      return `must be ${this.input.wanted}; ${problem}`;
    }
    this.dims.splice(0, dims.length, ...dims);
    return undefined;
  }

  tensor(count: number) {
    const { dtype } = this.input;
    return { dtype, dims: [count, ...(this.dims as number[])], data: fromElements(dtype, this.elements) };
  }

  private walk(value: unknown, depth: number, dims: (number | null)[], where: string): string | undefined {
    const { dtype } = this.input;
    if (depth === dims.length) {
      const element = toElement(dtype, value, this.maxStringLength);
      if (element === undefined) return `${where ? `element ${where}` : 'the value'} must be ${elementNoun(dtype)}, got ${describeValue(value)}`;
      this.elements.push(element);
      return undefined;
    }
    const what = where ? `element ${where}` : 'the row';
    if (!Array.isArray(value)) return `${what} must be an array, got ${describeValue(value)}`;
    const expected = dims[depth];
    if (expected === null || expected === undefined) {
      if (value.length === 0) return `${what} is empty`;
      dims[depth] = value.length;
    } else if (value.length !== expected) {
      const dynamic = this.input.rowShape[depth] === null ? ' (a dynamic dim, but the same in every row)' : '';
      return `${what} has ${value.length} elements, expected ${expected}${dynamic}`;
    }
    for (let i = 0; i < value.length; i++) {
      const problem = this.walk(value[i], depth + 1, dims, `${where}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  }
}
