// The ModelSignature of a loaded session, from what onnxruntime reports plus what the patcher changed.
import type { ModelSignature, TensorDtype, TensorSignature } from '@onnx-serve/feature-spec';
import { tensorDtypes } from '@onnx-serve/feature-spec';
import type { InferenceSession } from 'onnxruntime-node';

type SessionMetadata = Pick<InferenceSession, 'inputMetadata' | 'outputMetadata'>;

const knownDtypes = new Set<string>(tensorDtypes);

export function isTensorDtype(type: string): type is TensorDtype {
  return knownDtypes.has(type);
}

export function signatureOf(session: SessionMetadata, zipMaps: Record<string, (number | string)[]>): ModelSignature {
  return {
    inputs: session.inputMetadata.map((m) => tensorSignature(m)),
    outputs: session.outputMetadata.map((m) => tensorSignature(m, zipMaps[m.name])),
  };
}

function tensorSignature(meta: InferenceSession.ValueMetadata, zipMapClasses?: (number | string)[]): TensorSignature {
  if (!meta.isTensor || !isTensorDtype(meta.type)) return { name: meta.name, dtype: 'unsupported', shape: [] };
  // onnxruntime reports a dynamic dimension as a string: '' when unnamed, the dim_param otherwise.
  const shape = meta.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : null));
  return zipMapClasses ? { name: meta.name, dtype: meta.type, shape, zipMapClasses } : { name: meta.name, dtype: meta.type, shape };
}

/** How a signature entry reads in messages, as feature-spec writes it: `float32 [N,4]` (other dynamic axes "?"). */
export function describeTensor(t: Pick<TensorSignature, 'dtype' | 'shape'>): string {
  return `${t.dtype} [${t.shape.map((d, axis) => d ?? (axis === 0 ? 'N' : '?')).join(',')}]`;
}
