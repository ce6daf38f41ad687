// The `data` of a V2 input tensor, flat row-major or nested like its shape, read into row-major elements by the
// tensor codec's walker, and its problems worded for V2.
import { readNested, type NestingProblem } from '@onnx-serve/feature-spec';

/** What a caller sent, short enough to quote back in a message. */
export function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/**
 * The elements of `data` in row-major order, or the first problem with it, in words. Flat data must hold exactly
 * as many elements as the shape; nested data must follow the shape axis by axis (no ragged rows).
 */
export function readTensorData<T>(data: unknown[], shape: readonly number[], read: (value: unknown) => T | undefined, noun: string): T[] | string {
  const result = readNested(data, shape, read, { flat: true });
  return 'problem' in result ? problemText(result.problem, shape, noun) : result.elements;
}

function problemText(problem: NestingProblem, shape: readonly number[], noun: string): string {
  if (problem.kind === 'count') return `data holds ${problem.length} elements, but shape ${shapeText(shape)} needs ${problem.expected}`;
  const at = `data${problem.where}`;
  if (problem.kind === 'element') return `${at} must be ${noun}, got ${quote(problem.value)}`;
  if (problem.kind === 'not-array') return `${at} must be an array of ${shape[problem.axis]} (shape ${shapeText(shape)}), got ${quote(problem.value)}`;
  if (problem.kind === 'length') return `${at} holds ${problem.length} entries, but axis ${problem.axis} of shape ${shapeText(shape)} is ${problem.expected}`;
  // Every V2 dim is given: no axis is dynamic.
  throw new Error(`a V2 shape has no dynamic axis to find empty (${at})`);
}
