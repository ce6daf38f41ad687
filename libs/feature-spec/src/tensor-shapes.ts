// Tensor signatures in words for messages (`float32 [N,10]`), and the one shape test several checks share.
import type { TensorSignature } from './tensors';

/** [null, 10] → "[N,10]": a leading dynamic axis is the batch (unless `batched` is false), other dynamic axes "?". */
export function shapeText(shape: readonly (number | null)[], batched = true): string {
  return `[${shape.map((dim, axis) => dim ?? (batched && axis === 0 ? 'N' : '?')).join(',')}]`;
}

export function describeTensor(tensor: TensorSignature): string {
  return `${tensor.dtype} ${shapeText(tensor.shape)}`;
}

/** [N], [N,1] or [N,?]: one value per row (a label, a regression value, one feature's column). */
export function holdsOnePerRow({ shape }: TensorSignature): boolean {
  return shape.length === 1 || (shape.length === 2 && (shape[1] === 1 || shape[1] === null));
}
