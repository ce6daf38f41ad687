// Dynamic batching, for the model versions whose spec asks for it: run() calls that arrive together are merged
// along axis 0 into one run and the outputs are cut back, each caller getting exactly its own rows. A run has a
// fixed cost (onnxruntime's setup, a thread handoff) that a big model pays once per batch instead of once per request.
//
// What is merged is already-validated feeds (the predictor validates first), so a request with bad rows never joins
// a batch; a run that fails rejects the callers of that batch only. A batch closes when it holds `maxRows` rows or
// its first request has waited `maxWaitMicros`. Timers have millisecond resolution: a wait shorter than what is
// left of a millisecond is spent in event-loop turns (setImmediate), so the requests read in the meantime join.
import type { BatchingSpec, ModelSignature, TensorMap } from '@onnx-serve/feature-spec';
import { concatChunkOutputs, sliceFeeds } from './batch-rows';
import { type RunRows, splitsAlongRows } from './chunked-runner';

interface Caller {
  feeds: TensorMap;
  rows: number;
  resolve(outputs: TensorMap): void;
  reject(error: unknown): void;
}

interface OpenBatch {
  callers: Caller[];
  rows: number;
  /** performance.now() by which it runs. */
  deadline: number;
}

/** Why a model cannot be batched, or undefined when it can (every input and output has a dynamic batch axis). */
export function batchingProblem(signature: ModelSignature): string | undefined {
  if (splitsAlongRows(signature)) return undefined;
  const fixed = [...signature.inputs, ...signature.outputs].find((t) => t.shape.length === 0 || t.shape[0] !== null);
  return `every input and output needs a dynamic first (batch) axis${fixed ? `; ${JSON.stringify(fixed.name)} has shape [${fixed.shape.map((d) => d ?? '?').join(',')}]` : ''}`;
}

/**
 * `run` with calls merged. A merged run is shared, so no one caller's deadline (RunOptions.signal) stops it; a request
 * of maxRows rows or more runs alone, with its signal.
 */
export function batchedRunner(signature: ModelSignature, options: BatchingSpec, run: RunRows): RunRows {
  const [firstInput] = signature.inputs;
  const problem = batchingProblem(signature);
  if (!firstInput || problem) throw new Error(`cannot batch this model: ${problem ?? 'it has no inputs'}`);
  const waitMs = options.maxWaitMicros / 1000;
  let open: OpenBatch | undefined;

  const close = (batch: OpenBatch): void => {
    if (open === batch) open = undefined;
    const { callers } = batch;
    if (callers.length === 1) {
      const [only] = callers as [Caller];
      run(only.feeds).then(only.resolve, only.reject);
      return;
    }
    const merged = concatChunkOutputs(callers.map((c) => ({ rows: c.rows, outputs: c.feeds })));
    if (!merged) {
      // Cannot happen for validated feeds of one model (same inputs, row-major); run each rather than fail them.
      for (const c of callers) run(c.feeds).then(c.resolve, c.reject);
      return;
    }
    run(merged).then(
      (outputs) => {
        const allRows = Object.values(outputs).every((t) => t.dims[0] === batch.rows);
        if (!allRows) {
          // An output that is not one row per input row cannot be cut: each caller runs alone after all.
          for (const c of callers) run(c.feeds).then(c.resolve, c.reject);
          return;
        }
        let start = 0;
        for (const c of callers) {
          c.resolve(sliceFeeds(outputs, start, start + c.rows));
          start += c.rows;
        }
      },
      (error: unknown) => {
        for (const c of callers) c.reject(error);
      },
    );
  };

  const check = (batch: OpenBatch): void => {
    if (open !== batch) return; // closed already, because it filled up
    const left = batch.deadline - performance.now();
    if (left <= 0) close(batch);
    else if (left >= 1) setTimeout(() => check(batch), Math.floor(left));
    else setImmediate(() => check(batch));
  };

  return (feeds, runOptions) => {
    const rows = feeds[firstInput.name]?.dims[0] ?? 0;
    if (rows >= options.maxRows) return run(feeds, runOptions);
    if (open && open.rows + rows > options.maxRows) close(open);
    return new Promise<TensorMap>((resolve, reject) => {
      let batch = open;
      if (!batch) {
        batch = { callers: [], rows: 0, deadline: performance.now() + waitMs };
        open = batch;
        const opened = batch;
        setImmediate(() => check(opened));
      }
      batch.callers.push({ feeds, rows, resolve, reject });
      batch.rows += rows;
      if (batch.rows >= options.maxRows) close(batch);
    });
  };
}
