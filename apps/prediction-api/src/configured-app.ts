// The app as both entrypoints (the node server and the Lambda handler) build it from their config: one place,
// so whatever the app gains from the config reaches both targets.
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import { createApp } from './app';
import type { AppEnv } from './app-env';
import type { ServerConfig } from './config';
import { createLogger, type LogFields, type LogOutput } from './logging/logger';
import { ModelCatalog } from './model-catalog';
import type { ClusterLink } from './workers/worker-link';

export interface ConfiguredApp {
  app: Hono<AppEnv>;
  /** Empty until the entrypoint starts its model source. */
  catalog: ModelCatalog;
  logger: Logger;
}

/** `cluster`: the node server's worker's link to its primary (readiness, metrics and rate limit across workers). */
export function createConfiguredApp(config: ServerConfig, logOutput: LogOutput, logFields?: LogFields, cluster?: ClusterLink): ConfiguredApp {
  const logger = createLogger(config.logLevel, logOutput, logFields);
  const catalog = new ModelCatalog(config.limits);
  if (cluster) catalog.awaitPeers(cluster.allReady);
  const app = createApp({
    catalog,
    logger,
    limits: config.limits,
    appVersion: config.appVersion,
    protection: config.protection,
    cluster,
  });
  return { app, catalog, logger };
}
