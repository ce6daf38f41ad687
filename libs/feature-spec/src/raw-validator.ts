// Raw mode, for a model served without a spec: each instance is the model's input row(s) as nested JSON arrays.
// Fixed dims are checked against the signature, dynamic ones must agree across the rows of one request.
import { isFeedable } from './dtypes';
import { describeValue, RequestValidationError, type FieldIssue } from './errors';
import { instancePath, readInstancesBody, type ValidatorOptions } from './instances-body';
import type { TensorDtype } from './model-spec';
import { elementNoun, fromElements, readNested, toElement, type Element, type NestingProblem } from './tensor-codec';
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
  private dims: (number | null)[];
  private readonly read: (value: unknown) => Element | undefined;

  constructor(
    readonly input: RawInput,
    maxStringLength: number,
  ) {
    this.dims = [...input.rowShape];
    this.read = (value) => toElement(input.dtype, value, { lenient: true, maxStringLength });
  }

  /**
   * Adds one row, or returns what is wrong with it (and adds nothing). Only a row's first problem is told: a wrong
   * row of 10,000 elements would otherwise flood the response.
   */
  add(value: unknown): string | undefined {
    // A row of one element may come as the bare value.
    const bare = this.input.scalar && !Array.isArray(value);
    const result = readNested(value, bare ? [] : this.dims, this.read);
    if ('problem' in result) return `must be ${this.input.wanted}; ${this.problemText(result.problem)}`;
    for (const element of result.elements) this.elements.push(element);
    if (!bare) this.dims = result.dims;
    return undefined;
  }

  tensor(count: number) {
    const { dtype } = this.input;
    return { dtype, dims: [count, ...(this.dims as number[])], data: fromElements(dtype, this.elements) };
  }

  private problemText(problem: NestingProblem): string {
    if (problem.kind === 'count') throw new Error('raw rows are never read flat');
    const { where } = problem;
    if (problem.kind === 'element') {
      return `${where ? `element ${where}` : 'the value'} must be ${elementNoun(this.input.dtype)}, got ${describeValue(problem.value)}`;
    }
    const what = where ? `element ${where}` : 'the row';
    if (problem.kind === 'not-array') return `${what} must be an array, got ${describeValue(problem.value)}`;
    if (problem.kind === 'empty') return `${what} is empty`;
    const dynamic = this.input.rowShape[problem.axis] === null ? ' (a dynamic dim, but the same in every row)' : '';
    return `${what} has ${problem.length} elements, expected ${problem.expected}${dynamic}`;
  }
}
