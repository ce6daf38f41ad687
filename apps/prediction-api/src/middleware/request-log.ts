// One JSON log line per request, a request id that callers can pass in (x-request-id) or get back, and the same
// observation handed to the metrics: one middleware, so every request pays for one timer, one route lookup and
// one async frame, not one per concern.
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from '../app-env';
import { presetResponseHeader, requestHeader } from '../http/request-header';
import { requestLineWriter, type RequestLine } from '../logging/request-line';
import { routeLabel } from './route-label';

/** What the request log hands the metrics for each answered request. */
export interface RequestObservation {
  method: string;
  /** The route pattern, never the raw path (label cardinality). */
  route: string;
  status: number;
  seconds: number;
}

export const requestIdHeader = 'x-request-id';
// A caller's id is echoed into logs and headers: accept only short, plain tokens.
const acceptableRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's request id when it is a short plain token, else a new one (HTTP header and gRPC metadata alike). */
export function acceptedRequestId(offered: string | undefined): string {
  return offered && acceptableRequestId.test(offered) ? offered : randomUUID();
}

/** One answered request, as the request log records it: `started` is performance.now() when it arrived. */
export interface AnsweredRequest extends Omit<RequestLine, 'latencyMs' | 'grpcCode'> {
  started: number;
}

/**
 * Records an answered request: its observation to the metrics and its log line. The request log middleware and the
 * node server's early refusal (in-flight-limit.ts) both record through it, so the two never differ.
 */
export function requestRecorder(logger: Logger, observe: (request: RequestObservation) => void): (answered: AnsweredRequest) => void {
  const writeLine = requestLineWriter(logger);
  return ({ requestId, method, route, path, status, started, model, batchSize }) => {
    const seconds = (performance.now() - started) / 1000;
    observe({ method, route, status, seconds });
    writeLine({ requestId, method, route, path, status, latencyMs: Math.round(seconds * 1_000_000) / 1000, model, batchSize });
  };
}

export function requestLog(logger: Logger, observe: (request: RequestObservation) => void): MiddlewareHandler<AppEnv> {
  const record = requestRecorder(logger, observe);
  return async (c, next) => {
    const started = performance.now();
    const requestId = acceptedRequestId(requestHeader(c, requestIdHeader));
    c.set('requestId', requestId);
    // Set before the handler runs, so every response (errors included) carries it: setting a header on a
    // finished response makes Hono copy it into a streamed Response, which costs more than the prediction.
    presetResponseHeader(c, requestIdHeader, requestId);
    await next();
    record({
      requestId,
      method: c.req.method,
      route: routeLabel(c),
      path: c.req.path,
      status: c.res.status,
      started,
      model: c.get('model'),
      batchSize: c.get('batchSize'),
    });
  };
}
