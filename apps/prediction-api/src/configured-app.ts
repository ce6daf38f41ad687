// The app as both entrypoints (the node server and the Lambda handler) build it from their config: one place,
// so whatever the app gains from the config reaches both targets.
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import { createApp } from './app';
import type { AppEnv } from './app-env';
import type { ServerConfig } from './config';
import { createLogger, type LogOutput } from './logging/logger';
import { createAppMetrics, type AppMetrics } from './metrics/app-metrics';
import { localBuckets, type TakeToken } from './middleware/rate-limit';
import { ModelCatalog } from './model-catalog';

export interface ConfiguredApp {
  app: Hono<AppEnv>;
  /** Empty until the entrypoint starts its model source. */
  catalog: ModelCatalog;
  logger: Logger;
  /** What the gRPC server shares with the app: one /metrics, and one rate-limit budget per caller across protocols. */
  shared: SharedServices;
}

export interface SharedServices {
  metrics: AppMetrics;
  /** undefined when RATE_LIMIT_PER_MINUTE is off. */
  takeToken: TakeToken | undefined;
}

export function createConfiguredApp(config: ServerConfig, logOutput: LogOutput): ConfiguredApp {
  const logger = createLogger(config.logLevel, logOutput);
  const catalog = new ModelCatalog(config.limits);
  const { rateLimit } = config.protection;
  const shared: SharedServices = { metrics: createAppMetrics(catalog), takeToken: rateLimit ? localBuckets(rateLimit) : undefined };
  const app = createApp({
    catalog,
    logger,
    limits: config.limits,
    appVersion: config.appVersion,
    protection: config.protection,
    ...shared,
  });
  return { app, catalog, logger, shared };
}
