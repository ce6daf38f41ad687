// The `data` of a V2 input tensor, flat row-major or nested like its shape, read into row-major elements.

/** What a caller sent, short enough to quote back in a message. */
export function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((count, dim) => count * dim, 1);
}

/** Reads one JSON element, or returns undefined when it is not an element of the tensor's type. */
export type ElementReader<T> = (value: unknown) => T | undefined;

/**
 * The elements of `data` in row-major order, or the first problem with it, in words. Flat data must hold exactly
 * as many elements as the shape; nested data must follow the shape axis by axis (no ragged rows).
 */
export function readTensorData<T>(
  data: unknown[],
  shape: readonly number[],
  read: ElementReader<T>,
  noun: string,
): { elements: T[] } | { problem: string } {
  const size = elementCount(shape);
  const nested = data.some(Array.isArray);
  if (!nested && data.length !== size) {
    return { problem: `data holds ${data.length} elements, but shape ${shapeText(shape)} needs ${size}` };
  }
  const axes = nested ? shape : [size];
  const elements: T[] = [];
  const walk = (value: unknown, axis: number, where: string): string | undefined => {
    if (axis === axes.length) {
      const element = read(value);
      if (element === undefined) return `data${where} must be ${noun}, got ${quote(value)}`;
      elements.push(element);
      return undefined;
    }
    const dim = axes[axis] ?? 0;
    if (!Array.isArray(value)) {
      return `data${where} must be an array of ${dim} (shape ${shapeText(shape)}), got ${quote(value)}`;
    }
    if (value.length !== dim) {
      return `data${where} holds ${value.length} entries, but axis ${axis} of shape ${shapeText(shape)} is ${dim}`;
    }
    for (let i = 0; i < value.length; i++) {
      const problem = walk(value[i], axis + 1, `${where}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };
  const problem = walk(data, 0, '');
  return problem ? { problem } : { elements };
}
