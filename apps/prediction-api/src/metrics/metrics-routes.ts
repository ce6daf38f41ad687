// GET /metrics: the app's registry in the Prometheus text format. Requests are observed by the request log
// middleware (one timer per request for both), model runs by the catalog.
import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { metricsPath } from '../middleware/open-paths';
import type { AppMetrics } from './app-metrics';

/** GET /metrics in the Prometheus text exposition format; `scrape`: the text (a worker's: every worker's, aggregated). */
export function metricsRoutes(metrics: AppMetrics, scrape = () => metrics.registry.metrics()): Hono<AppEnv> {
  return new Hono<AppEnv>().get(metricsPath, async (c) => c.body(await scrape(), 200, { 'content-type': metrics.registry.contentType }));
}
