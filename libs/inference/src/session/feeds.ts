// Checks the feeds of a run against the model's inputs, so a mismatch is a clear error rather than an
// onnxruntime message about some internal node.
import { tensorArrayTypes, type BatchTensor, type ModelSignature, type TensorMap } from '@onnx-serve/feature-spec';
import { InvalidFeedsError } from '../errors';
import { describeTensor } from './signature';

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((n, d) => n * d, 1);
}

function hasDataOfItsDtype(tensor: BatchTensor): boolean {
  if (tensor.dtype === 'string') return Array.isArray(tensor.data) && tensor.data.every((s) => typeof s === 'string');
  return tensor.data instanceof tensorArrayTypes[tensor.dtype];
}

/** Throws InvalidFeedsError naming the model and the first input that does not fit. Runs on every model run, so
 * nothing is formatted until something is wrong. */
export function checkFeeds(model: string, signature: ModelSignature, feeds: TensorMap): void {
  const fail = (message: string): never => {
    throw new InvalidFeedsError(`model ${model}: ${message}`);
  };
  let given = 0;
  for (const name in feeds) if (Object.hasOwn(feeds, name)) given++;
  for (const input of signature.inputs) {
    const feed = feeds[input.name];
    const what = () => `input ${JSON.stringify(input.name)} expects ${describeTensor(input)}`;
    if (!feed) return fail(`${what()}, but no tensor was given`);
    given--;
    const got = () => `got ${feed.dtype} [${feed.dims.join(',')}]`;
    if (feed.dtype !== input.dtype) fail(`${what()}, ${got()}`);
    if (!shapeFits(feed.dims, input.shape)) fail(`${what()}, ${got()}`);
    if (!hasDataOfItsDtype(feed)) fail(`${what()}, but its data is not the array type of ${feed.dtype}`);
    if (feed.data.length !== elementCount(feed.dims)) {
      fail(`${what()}, ${got()} with ${feed.data.length} elements instead of ${elementCount(feed.dims)}`);
    }
  }
  if (given > 0) {
    const expected = new Set(signature.inputs.map((i) => i.name));
    const extra = Object.keys(feeds).filter((name) => !expected.has(name));
    fail(`unknown input ${extra.map((n) => JSON.stringify(n)).join(', ')}`);
  }
  if (signature.inputs.length > 1 && signature.inputs.every((i) => i.shape[0] === null)) {
    const rows = new Set(signature.inputs.map((i) => feeds[i.name]?.dims[0]));
    if (rows.size > 1) fail(`inputs disagree on the batch size (${[...rows].join(' vs ')} rows)`);
  }
}

function shapeFits(dims: readonly number[], shape: readonly (number | null)[]): boolean {
  if (dims.length !== shape.length) return false;
  for (let i = 0; i < dims.length; i++) {
    const d = dims[i] as number;
    if (!Number.isInteger(d) || d < 0 || (shape[i] !== null && shape[i] !== d)) return false;
  }
  return true;
}
