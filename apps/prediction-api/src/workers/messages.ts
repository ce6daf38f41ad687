// What the node server's primary and its workers tell each other over node:cluster's IPC channel (JSON messages),
// and the environment a worker is forked with. prom-client's cluster aggregation sends its own messages beside
// these (prom-client:getMetricsReq/Res).

/** Worker → primary. */
export type WorkerMessage =
  /** Its models are loaded and it is listening. */
  | { type: 'onnx-serve:ready' }
  /** Why it could not start, sent just before it exits 1: the primary prints it once for all its workers. */
  | { type: 'onnx-serve:start-failed'; message: string; stack: string }
  /** Every worker's metrics, aggregated, for a scrape this worker is answering. */
  | { type: 'onnx-serve:metrics'; id: number }
  /** A token from the primary's rate limit buckets (RATE_LIMIT_PER_MINUTE), for this caller. */
  | { type: 'onnx-serve:take-token'; id: number; caller: string };

/** Primary → worker. */
export type PrimaryMessage =
  /** Every worker has loaded its models: /ready may answer 200. */
  | { type: 'onnx-serve:all-ready' }
  /** The answer to the worker's request `id`: a value, or why there is none. */
  | { type: 'onnx-serve:reply'; id: number; value?: unknown; error?: string };

/** The environment variables the primary forks a worker with (beside its own environment). */
export const workerEnv = {
  /** Which of the WEB_CONCURRENCY places the worker fills, from 1: a restarted worker takes its predecessor's. */
  slot: 'ONNX_SERVE_WORKER_SLOT',
  /** '1' for a worker that replaces one that exited: it loads its models before it takes connections. */
  replacement: 'ONNX_SERVE_WORKER_REPLACEMENT',
} as const;

export function isMessage<T extends { type: string }>(message: unknown): message is T {
  return typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string'
    && (message as { type: string }).type.startsWith('onnx-serve:');
}
