// The app's Prometheus metrics, in a registry of their own per app: two apps in one process (tests) never share or
// clash over counters. Per-request metrics are keyed-metrics (cheap on the hot path); the rest are prom-client's.
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestObservation } from '../middleware/request-log';
import type { ModelCatalog } from '../model-catalog';
import { KeyedCounter, KeyedHistogram } from './keyed-metrics';

export interface AppMetrics {
  registry: Registry;
  observeRequest(request: RequestObservation): void;
  observeGrpcCall(call: GrpcCallObservation): void;
}

/** One answered gRPC call, labelled as go-grpc-prometheus and grpc-java label theirs. */
export interface GrpcCallObservation {
  /** The full service name: inference.GRPCInferenceService, grpc.health.v1.Health. */
  service: string;
  method: string;
  /** The status code's name: OK, INVALID_ARGUMENT, … */
  code: string;
  seconds: number;
}

// From a cached tiny-model run (~50 µs) to a request that hits a 30 s timeout.
const requestBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const inferenceBuckets = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];
const batchSizeBuckets = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000];

/** Metrics for an app over `catalog`: its model runs are observed, its models counted at each scrape. */
export function createAppMetrics(catalog: ModelCatalog): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new KeyedCounter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    registry,
  });
  const histogram = (name: string, help: string, labelNames: string[], buckets: number[]) =>
    new KeyedHistogram({ name, help, labelNames, buckets, registry });
  const requestDuration = histogram(
    'http_request_duration_seconds',
    'Time from receiving a request to its response, by method and route pattern',
    ['method', 'route'],
    requestBuckets,
  );
  const inferenceDuration = histogram(
    'inference_duration_seconds',
    'Time of one model run over a whole batch (every chunk), by model and version',
    ['model', 'version'],
    inferenceBuckets,
  );
  const grpcHandled = new KeyedCounter({
    name: 'grpc_server_handled_total',
    help: 'gRPC calls answered, by service, method and status code',
    labelNames: ['grpc_service', 'grpc_method', 'grpc_code'],
    registry,
  });
  const grpcDuration = histogram(
    'grpc_server_handling_seconds',
    'Time from receiving a gRPC call to its answer, by service and method',
    ['grpc_service', 'grpc_method'],
    requestBuckets,
  );
  const batchSize = histogram('inference_batch_size', 'Rows per model run, by model', ['model'], batchSizeBuckets);
  const rowsSkipped = new KeyedCounter({
    name: 'inference_rows_skipped_total',
    help: 'Rows of batches stopped at their request deadline, never run, by model and version',
    labelNames: ['model', 'version'],
    registry,
  });
  new Gauge({
    name: 'models_loaded',
    help: 'Model versions loaded and served',
    registers: [registry],
    // Across the node server's workers (which each load the same store): what every one of them serves.
    aggregator: 'min',
    collect() {
      // Read at each scrape, so a swapped registry shows without being reported.
      this.set(catalog.ready ? catalog.allModels().length : 0);
    },
  });

  catalog.observeInference(({ model, version, rows, seconds, rowsSkipped: skipped }) => {
    if (skipped > 0) return rowsSkipped.inc([model, version], skipped);
    inferenceDuration.observe([model, version], seconds);
    batchSize.observe([model], rows);
  });

  return {
    registry,
    observeRequest({ method, route, status, seconds }) {
      requests.inc([method, route, String(status)]);
      requestDuration.observe([method, route], seconds);
    },
    observeGrpcCall({ service, method, code, seconds }) {
      grpcHandled.inc([service, method, code]);
      grpcDuration.observe([service, method], seconds);
    },
  };
}
