// onnxruntime-node runs a session synchronously on the main thread (measured: a 20,000-row diabetes batch holds
// the event loop ~76 ms). So a big batch is cut into chunks along axis 0, run one at a time with a setImmediate
// between them: a small request that arrives meanwhile waits for one chunk, not the whole batch.
import type { ModelSignature, TensorMap } from '@onnx-serve/feature-spec';
import { RunAbortedError } from '../errors';
import { concatChunkOutputs, sliceFeeds } from './batch-rows';

/**
 * The one default of MAX_ROWS_PER_RUN: the server's config takes it from here (a module without onnxruntime, so
 * a process that only reads the config does not load it).
 */
export const defaultMaxRowsPerRun = 256;

export type RunOnce = (feeds: TensorMap) => Promise<TensorMap>;

/**
 * What stops a batch between its chunks. An AbortSignal is one; so is any object whose `aborted` turns true
 * (the server's request deadline uses a plain one: an AbortController costs ~4 µs, on every request).
 */
export interface RunSignal {
  readonly aborted: boolean;
  readonly reason?: unknown;
}

export interface RunOptions {
  /** Checked before each chunk after the first: once aborted, the chunks left are not run (RunAbortedError). */
  signal?: RunSignal | undefined;
}

export type RunRows = (feeds: TensorMap, options?: RunOptions) => Promise<TensorMap>;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A batch can be cut when every input and output has a dynamic first axis (the batch axis of row-wise models). */
export function splitsAlongRows(signature: ModelSignature): boolean {
  const all = [...signature.inputs, ...signature.outputs.filter((o) => o.dtype !== 'unsupported')];
  return signature.inputs.length > 0 && all.every((t) => t.shape.length > 0 && t.shape[0] === null);
}

/** `runOnce` over batches cut into chunks of `maxRowsPerRun` rows; `modelId` names the model in RunAbortedError. */
export function chunkedRunner(signature: ModelSignature, maxRowsPerRun: number, runOnce: RunOnce, modelId = 'model'): RunRows {
  const [firstInput] = signature.inputs;
  if (!firstInput || !splitsAlongRows(signature) || !Number.isFinite(maxRowsPerRun)) return runOnce;
  const runInChunks = async (feeds: TensorMap, rows: number, signal: RunSignal | undefined): Promise<TensorMap> => {
    const chunks: { rows: number; outputs: TensorMap }[] = [];
    for (let start = 0; start < rows; start += maxRowsPerRun) {
      if (start > 0) {
        await nextTurn();
        // The turn between chunks is when a request's deadline fires: past it, nobody waits for the rest.
        if (signal?.aborted) throw new RunAbortedError(modelId, start, rows, { cause: signal.reason });
      }
      const end = Math.min(rows, start + maxRowsPerRun);
      chunks.push({ rows: end - start, outputs: await runOnce(sliceFeeds(feeds, start, end)) });
    }
    // A model whose outputs are not one row per input row cannot be cut after all: run it whole.
    return concatChunkOutputs(chunks) ?? runOnce(feeds);
  };
  // Not async: most batches fit one run, and the promise passes straight through.
  return (feeds, options) => {
    const rows = feeds[firstInput.name]?.dims[0] ?? 0;
    return rows <= maxRowsPerRun ? runOnce(feeds) : runInChunks(feeds, rows, options?.signal);
  };
}
