// A bounded number of requests in flight per process: past it a request is answered 503 `overloaded` at once,
// before its body is read, instead of queueing behind work it would only wait for. The probes and /metrics are
// never refused: a load balancer must still see a busy instance as alive, and a scrape is how anyone sees it busy.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { OverloadedError } from '../errors';
import { isProbe, metricsPath } from './open-paths';

/** The one count of what is in flight in this process, REST requests and gRPC calls alike. */
export interface InFlightGate {
  /** Throws OverloadedError (503 overloaded) when the bound is reached. */
  enter(): void;
  leave(): void;
}

export function inFlightGate(maxInFlight: number): InFlightGate {
  let inFlight = 0;
  return {
    enter() {
      if (inFlight >= maxInFlight) throw new OverloadedError(maxInFlight);
      inFlight++;
    },
    leave() {
      inFlight--;
    },
  };
}

export function inFlightLimit(gate: InFlightGate): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { path } = c.req;
    if (isProbe(path) || path === metricsPath) return next();
    gate.enter();
    try {
      await next();
    } finally {
      gate.leave();
    }
  };
}
