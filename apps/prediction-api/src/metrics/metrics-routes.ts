// Counts and times every request by route pattern, and serves the registry at /metrics.
import { Hono, type MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { metricsPath } from '../middleware/open-paths';
import { routeLabel } from '../middleware/route-label';
import type { AppMetrics } from './app-metrics';

export function httpMetrics(metrics: AppMetrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    metrics.observeRequest({
      method: c.req.method,
      route: routeLabel(c),
      status: c.res.status,
      seconds: (performance.now() - started) / 1000,
    });
  };
}

/** GET /metrics in the Prometheus text exposition format. */
export function metricsRoutes(metrics: AppMetrics): Hono<AppEnv> {
  return new Hono<AppEnv>().get(metricsPath, async (c) =>
    c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }),
  );
}
