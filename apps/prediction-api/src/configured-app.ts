// The app as both entrypoints (the node server and the Lambda handler) build it from their config: one place,
// so whatever the app gains from the config reaches both targets.
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import { createApp } from './app';
import type { AppEnv } from './app-env';
import type { ServerConfig } from './config';
import { createLogger, type LogOutput } from './logging/logger';
import { ModelCatalog } from './model-catalog';

export interface ConfiguredApp {
  app: Hono<AppEnv>;
  /** Empty until the entrypoint starts its model source. */
  catalog: ModelCatalog;
  logger: Logger;
}

export function createConfiguredApp(config: ServerConfig, logOutput: LogOutput): ConfiguredApp {
  const logger = createLogger(config.logLevel, logOutput);
  const catalog = new ModelCatalog(config.limits);
  const app = createApp({
    catalog,
    logger,
    limits: config.limits,
    appVersion: config.appVersion,
    protection: config.protection,
  });
  return { app, catalog, logger };
}
