// grpc.health.v1.Health, the standard health checking protocol load balancers and orchestrators call: SERVING once
// the models have loaded (as GET /ready answers 200), NOT_SERVING while they load and from the start of a shutdown,
// so a balancer stops sending calls before the server stops taking them. Open, like the REST probes.
import { status, type handleUnaryCall, type ServerWritableStream } from '@grpc/grpc-js';
import { ApiError } from '../errors';
import type { ModelCatalog } from '../model-catalog';
import type { GrpcCalls } from './grpc-calls';
import { inferenceServiceName } from './inference-service';

export const healthServiceName = 'grpc.health.v1.Health';

type ServingStatus = 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

interface HealthCheckRequest {
  service: string;
}

interface HealthCheckResponse {
  status: ServingStatus;
}

/** "" asks about the whole server; the inference service is the only one with models behind it. */
const knownServices: ReadonlySet<string> = new Set(['', inferenceServiceName, healthServiceName]);

/** How often open Watch calls look for a change (the catalog's readiness changes once, at the first load). */
const watchPollMs = 1_000;

export interface HealthService {
  Check: handleUnaryCall<HealthCheckRequest, HealthCheckResponse>;
  Watch: (call: ServerWritableStream<HealthCheckRequest, HealthCheckResponse>) => void;
  /** NOT_SERVING from now on; every Watch is told so and ended (an open stream would hold the shutdown). */
  drain(): void;
}

export function healthService(catalog: ModelCatalog, calls: GrpcCalls): HealthService {
  let draining = false;
  /** Each open Watch: the status it was last sent, and how it ends (logged and counted once). */
  const watches = new Map<ServerWritableStream<HealthCheckRequest, HealthCheckResponse>, { sent: ServingStatus; finish: (code: status) => void }>();
  let poll: NodeJS.Timeout | undefined;

  const statusOf = (service: string): ServingStatus => {
    if (!knownServices.has(service)) return 'SERVICE_UNKNOWN';
    return catalog.ready && !draining ? 'SERVING' : 'NOT_SERVING';
  };

  const sendChanges = () => {
    for (const [call, watch] of watches) {
      const now = statusOf(call.request.service);
      if (now !== watch.sent) {
        watch.sent = now;
        call.write({ status: now });
      }
    }
  };

  const Check = calls.unary(healthServiceName, 'Check', 'open', ({ service }: HealthCheckRequest): HealthCheckResponse => {
    const serving = statusOf(service);
    if (serving === 'SERVICE_UNKNOWN') {
      throw new ApiError(404, 'not_found', `unknown service ${JSON.stringify(service)}; health is told for "" (the whole server) and ${inferenceServiceName}`);
    }
    return { status: serving };
  });

  const Watch: HealthService['Watch'] = (call) => {
    const started = performance.now();
    const context = calls.begin(call.metadata, (metadata) => call.sendMetadata(metadata));
    const finish = (code: status) => {
      if (!watches.delete(call)) return;
      if (watches.size === 0) {
        clearInterval(poll);
        poll = undefined;
      }
      calls.end({ service: healthServiceName, method: 'Watch', context, started, httpStatus: code === status.OK ? 200 : 499, code });
    };
    const sent = statusOf(call.request.service);
    watches.set(call, { sent, finish });
    call.write({ status: sent });
    call.on('cancelled', () => finish(status.CANCELLED));
    if (draining) end(call);
    else poll ??= setInterval(sendChanges, watchPollMs).unref();
  };

  /** Ended by the server (a shutdown): the caller's last message says NOT_SERVING. */
  const end = (call: ServerWritableStream<HealthCheckRequest, HealthCheckResponse>) => {
    const watch = watches.get(call);
    if (!watch) return;
    if (watch.sent !== 'NOT_SERVING') call.write({ status: 'NOT_SERVING' });
    call.end();
    watch.finish(status.OK);
  };

  const drain = () => {
    draining = true;
    for (const call of [...watches.keys()]) end(call);
  };

  return { Check, Watch, drain };
}
