// createApp builds the whole HTTP app from already-loaded parts: no I/O here, so tests, the node server and
// the Lambda handler all use the same app.
import { Hono } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from './app-env';
import { RouteNotFoundError, toApiError } from './errors';
import { createAppMetrics, type AppMetrics } from './metrics/app-metrics';
import { metricsRoutes } from './metrics/metrics-routes';
import { bodySizeLimit } from './middleware/body-size-limit';
import { defaultProtection, protectionMiddleware, type Protection } from './middleware/protection';
import type { InFlightGate } from './middleware/in-flight-limit';
import type { TakeToken } from './middleware/rate-limit';
import { requestLog } from './middleware/request-log';
import type { ModelCatalog } from './model-catalog';
import { docsRoutes } from './routes/docs/docs-routes';
import { formsRoutes } from './routes/forms/forms-routes';
import { healthRoutes } from './routes/health-routes';
import { modelRoutes } from './routes/model-routes';
import { errorBodyFor, v2BasePath } from './routes/v2/v2-errors';
import { v2Routes } from './routes/v2/v2-routes';
import type { ServiceLimits } from './service-limits';
import type { ClusterLink } from './workers/worker-link';

export interface AppDeps {
  catalog: ModelCatalog;
  logger: Logger;
  limits: ServiceLimits;
  appVersion: string;
  /** API keys, rate limit, request timeout; unset parts take defaultProtection (open, unlimited, 30 s). */
  protection?: Partial<Protection>;
  /** In a worker of the node server: /metrics answers for every worker. */
  cluster?: Pick<ClusterLink, 'shareMetrics'> | undefined;
  /** Metrics and rate-limit buckets shared with the gRPC server (createConfiguredApp); the app's own when left out. */
  metrics?: AppMetrics;
  takeToken?: TakeToken;
  inFlight?: InFlightGate;
}

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const metrics = deps.metrics ?? createAppMetrics(deps.catalog);
  app.use(requestLog(deps.logger, metrics.observeRequest));
  for (const middleware of protectionMiddleware({ ...defaultProtection, ...deps.protection }, deps.takeToken, deps.inFlight)) app.use(middleware);
  app.use(bodySizeLimit(deps.limits.maxBodyBytes));
  app.route('/', healthRoutes(deps.catalog, deps.appVersion));
  app.route('/', metricsRoutes(metrics, deps.cluster?.shareMetrics(metrics.registry)));
  app.route('/', modelRoutes(deps.catalog));
  app.route(v2BasePath, v2Routes(deps.catalog, deps.appVersion, deps.limits));
  app.route('/', docsRoutes(deps));
  app.route('/', formsRoutes(deps.catalog, deps.limits));

  app.notFound((c) => {
    const error = new RouteNotFoundError(c.req.method, c.req.path);
    return c.json(errorBodyFor(c.req.path, error, c.get('requestId')), error.status);
  });
  app.onError((err, c) => {
    const error = toApiError(err);
    // Only the unexpected: a timeout or not_ready is already in the request log line.
    if (error.code === 'internal_error') {
      deps.logger.error({ err, requestId: c.get('requestId'), path: c.req.path }, 'unhandled error');
    }
    return c.json(errorBodyFor(c.req.path, error, c.get('requestId')), error.status, error.headers);
  });
  return app;
}
