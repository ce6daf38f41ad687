// What every gRPC call goes through, as every HTTP request goes through the app's middleware: a request id (the
// caller's `x-request-id` metadata or a new one, sent back as response metadata), then for keyed methods the API key
// and the rate limit (the same check and the same buckets as REST), the deadline, and at the end one request log line
// and the call counted in /metrics. Errors leave as the gRPC status of grpc-status.ts.
import { Metadata, status, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { toApiError } from '../errors';
import { requestLineWriter } from '../logging/request-line';
import type { AppMetrics } from '../metrics/app-metrics';
import { authorizedKeyIndex } from '../middleware/api-key-auth';
import type { Protection } from '../middleware/protection';
import type { InFlightGate } from '../middleware/in-flight-limit';
import { lastForwarded, rateLimitCaller, takeTokenOrRefuse, type TakeToken } from '../middleware/rate-limit';
import { acceptedRequestId, requestIdHeader } from '../middleware/request-log';
import { Deadline, withinDeadline } from '../middleware/request-timeout';
import { grpcCodeName, toServiceError } from './grpc-status';

/** What a handler learns of its call, and tells the log line. */
export interface CallContext {
  requestId: string;
  model?: string;
  batchSize?: number;
  /** Aborted at the deadline, so a model run stops between chunks as over REST (see middleware/request-timeout.ts). */
  signal: Deadline;
}

export interface GrpcCallDeps {
  logger: Logger;
  metrics: AppMetrics;
  protection: Protection;
  /** The rate limit's buckets (shared with REST); undefined when there is no rate limit. */
  takeToken: TakeToken | undefined;
  inFlight: InFlightGate | undefined;
}

/** Probes (liveness, readiness, health) need no key and are never rate limited, as over REST. */
export type Access = 'open' | 'keyed';

export type UnaryHandler<Request, Response> = (request: Request, context: CallContext) => Response | Promise<Response>;

export interface CallEnd {
  service: string;
  method: string;
  context: CallContext;
  started: number;
  /** The HTTP status REST answers the same outcome with (what the log's level and dashboards go by). */
  httpStatus: number;
  code: status;
}

export interface GrpcCalls {
  unary<Request, Response>(
    service: string,
    method: string,
    access: Access,
    handler: UnaryHandler<Request, Response>,
  ): (call: ServerUnaryCall<Request, Response>, callback: sendUnaryData<Response>) => void;
  /** Opens a call: its context, the request id sent back. */
  begin(metadata: Metadata, send: (metadata: Metadata) => void): CallContext;
  /** Logs and counts a call that has ended. */
  end(call: CallEnd): void;
}

const firstValue = (metadata: Metadata, name: string): string | undefined => {
  const [value] = metadata.get(name);
  return typeof value === 'string' ? value : undefined;
};

/** The caller's address from grpc-js's peer ("127.0.0.1:54321", "[::1]:54321"), or X-Forwarded-For's last entry. */
function peerAddress(call: ServerUnaryCall<unknown, unknown>, trustProxy: boolean): string {
  const forwarded = trustProxy ? lastForwarded(firstValue(call.metadata, 'x-forwarded-for')) : undefined;
  return forwarded ?? call.getPeer().replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
}

export function grpcCalls({ logger, metrics, protection, takeToken, inFlight }: GrpcCallDeps): GrpcCalls {
  const writeLine = requestLineWriter(logger);
  const { apiKeys, trustProxy, requestTimeoutMs } = protection;

  const begin = (metadata: Metadata, send: (metadata: Metadata) => void): CallContext => {
    const requestId = acceptedRequestId(firstValue(metadata, requestIdHeader));
    const sent = new Metadata();
    sent.set(requestIdHeader, requestId);
    send(sent);
    return { requestId, signal: new Deadline() };
  };

  const end = ({ service, method, context, started, httpStatus, code }: CallEnd) => {
    const seconds = (performance.now() - started) / 1000;
    const grpcCode = grpcCodeName(code);
    const route = `/${service}/${method}`;
    metrics.observeGrpcCall({ service, method, code: grpcCode, seconds });
    writeLine({
      requestId: context.requestId,
      method: 'gRPC',
      route,
      path: route,
      status: httpStatus,
      latencyMs: Math.round(seconds * 1_000_000) / 1000,
      model: context.model,
      batchSize: context.batchSize,
      grpcCode,
    });
  };

  /** The key and the rate limit, in REST's order: an unknown caller costs one hash and no token. */
  const admit = async (call: ServerUnaryCall<unknown, unknown>) => {
    const keyIndex = apiKeys.length > 0 ? authorizedKeyIndex(apiKeys, (name) => firstValue(call.metadata, name)) : undefined;
    if (takeToken) await takeTokenOrRefuse(takeToken, rateLimitCaller(keyIndex, () => peerAddress(call, trustProxy)));
  };

  const unary: GrpcCalls['unary'] = (service, method, access, handler) => (call, callback) => {
    const started = performance.now();
    const context = begin(call.metadata, (metadata) => call.sendMetadata(metadata));
    let entered = false;
    const leave = () => {
      if (entered) inFlight?.leave();
      entered = false;
    };
    const answer = async () => {
      if (access === 'keyed') {
        await admit(call);
        // REST's own count (MAX_IN_FLIGHT): past it, RESOURCE_EXHAUSTED at once (overloaded, see grpc-status.ts).
        inFlight?.enter();
        entered = inFlight !== undefined;
      }
      return handler(call.request, context);
    };
    (requestTimeoutMs > 0 ? withinDeadline(answer, requestTimeoutMs, context.signal) : answer()).then(
      (response) => {
        leave();
        callback(null, response);
        // Cancelled: the caller went away or its own deadline passed first (499: nginx's "client closed request").
        if (call.cancelled) end({ service, method, context, started, httpStatus: 499, code: status.CANCELLED });
        else end({ service, method, context, started, httpStatus: 200, code: status.OK });
      },
      (err: unknown) => {
        leave();
        const error = toApiError(err);
        // Only the unexpected: a refusal is already in the request log line.
        if (error.code === 'internal_error') logger.error({ err, requestId: context.requestId, method: `${service}/${method}` }, 'unhandled error');
        const serviceError = toServiceError(error);
        callback(serviceError);
        end({ service, method, context, started, httpStatus: error.status, code: serviceError.code });
      },
    );
  };

  return { unary, begin, end };
}
