// A bounded number of requests in flight per process: past it a request is answered 503 `overloaded` at once,
// before its body is read, instead of queueing behind work it would only wait for. The probes and /metrics are
// never refused: a load balancer must still see a busy instance as alive, and a scrape is how anyone sees it busy.
//
// On the node server the refusal happens before Hono sees the request (`earlyOverloadRefusal`): a refusal inside the
// app costs nearly what a prediction does (a web Request, the middleware chain, an error, a web Response), and at
// twice the load a server can answer, refusals that cost that much leave no time for the requests it accepts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from '../app-env';
import { OverloadedError } from '../errors';
import { errorBodyFor } from '../routes/v2/v2-errors';
import { isProbe, metricsPath } from './open-paths';
import { acceptedRequestId, requestIdHeader, requestRecorder, type RequestObservation } from './request-log';

/** The one count of what is in flight in this process, REST requests and gRPC calls alike. */
export interface InFlightGate {
  /** Throws OverloadedError (503 overloaded) when the bound is reached. */
  enter(): void;
  leave(): void;
  /** The next request would be refused. */
  readonly full: boolean;
  /** Set while the event loop is saturated (shedWhileSaturated): the lower bound, saturatedInFlight, applies. */
  shedding: boolean;
  /** The error the next refusal answers with: built once each, as building an error costs more than the refusal. */
  readonly refusal: OverloadedError;
}

/** `saturatedInFlight`: the bound while `shedding` is set (0: none but maxInFlight). */
export function inFlightGate(maxInFlight: number, saturatedInFlight = 0): InFlightGate {
  const saturatedBound = saturatedInFlight > 0 ? Math.min(saturatedInFlight, maxInFlight) : maxInFlight;
  let inFlight = 0;
  const atLimit = new OverloadedError(maxInFlight);
  const saturated = new OverloadedError(saturatedBound, true);
  return {
    shedding: false,
    enter() {
      if (this.full) throw this.refusal;
      inFlight++;
    },
    leave() {
      inFlight--;
    },
    get full() {
      return inFlight >= maxInFlight || (this.shedding && inFlight >= saturatedBound);
    },
    get refusal() {
      return inFlight >= maxInFlight ? atLimit : saturated;
    },
  };
}

const neverRefused = (path: string) => isProbe(path) || path === metricsPath;

export function inFlightLimit(gate: InFlightGate): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (neverRefused(c.req.path)) return next();
    gate.enter();
    try {
      await next();
    } finally {
      gate.leave();
    }
  };
}

export interface EarlyRefusalDeps {
  gate: InFlightGate;
  /** The route pattern a request asked for, as the app labels it (its router's last match). */
  routeOf(method: string, path: string): string;
  logger: Logger;
  /** The metrics' observer, as the request log hands it every answered request. */
  observe(request: RequestObservation): void;
}

/**
 * For the node server's request listener: answers a request over the bound before the app sees it, with what the
 * app would have answered (the same body, headers, request log line and metrics). Returns true when it answered.
 */
export function earlyOverloadRefusal({ gate, routeOf, logger, observe }: EarlyRefusalDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  const record = requestRecorder(logger, observe);
  return (req, res) => {
    if (!gate.full) return false;
    const { refusal } = gate;
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    // An absolute-form or encoded path is left to the app, which normalises it.
    if (!path.startsWith('/') || path.includes('%') || neverRefused(path)) return false;
    const started = performance.now();
    const offered = req.headers[requestIdHeader];
    const requestId = acceptedRequestId(Array.isArray(offered) ? offered.join(', ') : offered);
    const body = JSON.stringify(errorBodyFor(path, refusal, requestId));
    res.writeHead(refusal.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      ...refusal.headers,
      [requestIdHeader]: requestId,
    });
    res.end(body);
    const method = req.method ?? 'GET';
    record({ requestId, method, route: routeOf(method, path), path, status: refusal.status, started });
    return true;
  };
}

/**
 * Past what the process can answer, requests wait in the kernel's socket buffers before node reads them, where no
 * count of what is in flight sees them: at twice that load, answers came seconds late with only the bound. An event
 * loop busy through a whole tick (`busyShare` of `everyMs`) is saturated, and while it is, the gate refuses past the
 * lower bound: what is refused then costs a fraction of a prediction, and the loop catches up with the sockets.
 * Busy alone is not enough: a few clients that each wait for their answer keep the loop as busy, with nothing queued.
 */
export function shedWhileSaturated(gate: InFlightGate, { everyMs = 10, busyShare = 0.95 } = {}): () => void {
  let last = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    gate.shedding = performance.eventLoopUtilization(now, last).utilization >= busyShare;
    last = now;
  }, everyMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    gate.shedding = false;
  };
}
