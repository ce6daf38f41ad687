// A worker's side of the node server's cluster: what it tells the primary (ready, or why it cannot start), and what
// it asks of it (every worker's metrics, a rate limit token). Requests carry an id; the primary answers each once.
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { AggregatorRegistry } from 'prom-client';
import type { ServerConfig } from '../config';
import type { TakeToken } from '../middleware/rate-limit';
import { isMessage, workerEnv, type PrimaryMessage, type WorkerMessage } from './messages';

export interface ClusterLink {
  /** This worker's place among the WEB_CONCURRENCY, from 1 (a restarted worker takes its predecessor's). */
  readonly slot: number;
  /** A replacement for a worker that exited: it loads its models before it listens, so it never takes a request unready. */
  readonly replacement: boolean;
  /** Every worker has loaded its models (the primary says so once they all have). */
  allReady(): boolean;
  /** Tell the primary this worker has loaded its models and listens. */
  reportReady(): void;
  /** Offer `registry` to the primary's aggregation; returns what a scrape of this worker answers: every worker's. */
  shareMetrics(registry: Registry): () => Promise<string>;
  /** The rate limit's token, from the buckets the primary keeps for every worker. */
  takeToken: TakeToken;
  /** Tell the primary why this worker cannot start, then exit 1. */
  failStart(error: unknown): void;
}

/** Only in a worker forked by the primary (workers/primary.ts): it has an IPC channel. */
export function connectToPrimary(): ClusterLink {
  const channel = process.send?.bind(process);
  if (!channel) throw new Error('connectToPrimary: this process has no IPC channel (not a worker of node:cluster)');
  const send = (message: WorkerMessage, callback?: () => void) => channel(message, undefined, undefined, callback);
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let allReady = false;
  process.on('message', (message: unknown) => {
    if (!isMessage<PrimaryMessage>(message)) return;
    if (message.type === 'onnx-serve:all-ready') allReady = true;
    else if (message.type === 'onnx-serve:reply') {
      const request = pending.get(message.id);
      pending.delete(message.id);
      if (message.error === undefined) request?.resolve(message.value);
      else request?.reject(new Error(message.error));
    }
  });
  const ask = <T>(message: (id: number) => WorkerMessage): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      send(message(id));
    });

  return {
    slot: Number(process.env[workerEnv.slot] ?? 1),
    replacement: process.env[workerEnv.replacement] === '1',
    allReady: () => allReady,
    reportReady: () => send({ type: 'onnx-serve:ready' }),
    shareMetrics(registry) {
      // prom-client answers the primary's requests for this worker's metrics from here on (its cluster listener is
      // added when the first AggregatorRegistry is made in a worker).
      AggregatorRegistry.setRegistries([registry]);
      new AggregatorRegistry();
      return () => ask<string>((id) => ({ type: 'onnx-serve:metrics', id }));
    },
    takeToken: (caller) => ask<number>((id) => ({ type: 'onnx-serve:take-token', id, caller })),
    failStart(error) {
      const message = error instanceof Error ? error.message : String(error);
      const stack = error instanceof Error ? (error.stack ?? message) : message;
      send({ type: 'onnx-serve:start-failed', message, stack }, () => process.exit(1));
    },
  };
}

/**
 * The config a worker serves with: its own S3 mirror folder (workers sync and load on their own, and must not
 * write one folder at once), and a drain that ends a little before SHUTDOWN_TIMEOUT_MS, the primary's deadline.
 */
export function workerConfig(config: ServerConfig, slot: number): ServerConfig {
  const { s3Models, shutdownTimeoutMs } = config;
  return {
    ...config,
    s3Models: s3Models && { ...s3Models, cacheDir: join(s3Models.cacheDir, `worker-${slot}`) },
    shutdownTimeoutMs: Math.max(Math.floor(shutdownTimeoutMs * 0.9), shutdownTimeoutMs - 500),
  };
}
