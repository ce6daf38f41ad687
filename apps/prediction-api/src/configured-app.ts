// The app as both entrypoints (the node server and the Lambda handler) build it from their config: one place,
// so whatever the app gains from the config reaches both targets.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import { createApp } from './app';
import type { AppEnv } from './app-env';
import type { ServerConfig } from './config';
import { createLogger, type LogFields, type LogOutput } from './logging/logger';
import { createAppMetrics, type AppMetrics } from './metrics/app-metrics';
import { earlyOverloadRefusal, inFlightGate, type InFlightGate } from './middleware/in-flight-limit';
import type { Protection } from './middleware/protection';
import { localBuckets, type TakeToken } from './middleware/rate-limit';
import { routeLabelOf } from './middleware/route-label';
import { ModelCatalog } from './model-catalog';
import type { ClusterLink } from './workers/worker-link';

export interface ConfiguredApp {
  app: Hono<AppEnv>;
  /** Empty until the entrypoint starts its model source. */
  catalog: ModelCatalog;
  logger: Logger;
  /** What the gRPC server shares with the app: one /metrics, and one rate-limit budget per caller across protocols. */
  shared: SharedServices;
  /** For the node server's listener: the in-flight bound's refusal before the app (undefined when MAX_IN_FLIGHT is 0). */
  answerEarly: ((req: IncomingMessage, res: ServerResponse) => boolean) | undefined;
}

export interface SharedServices {
  metrics: AppMetrics;
  /** undefined when RATE_LIMIT_PER_MINUTE is off. */
  takeToken: TakeToken | undefined;
  /** undefined when MAX_IN_FLIGHT is 0 (off). */
  inFlight: InFlightGate | undefined;
}

/**
 * What REST and gRPC share in one process: one /metrics, one rate-limit budget per caller, one in-flight count. A
 * worker takes its tokens from the primary's buckets (`clusterTokens`), so the budget holds across workers too.
 */
export function createSharedServices(catalog: ModelCatalog, protection: Protection, clusterTokens?: TakeToken): SharedServices {
  const { rateLimit, maxInFlight, saturatedInFlight } = protection;
  return {
    metrics: createAppMetrics(catalog),
    takeToken: rateLimit ? (clusterTokens ?? localBuckets(rateLimit)) : undefined,
    inFlight: maxInFlight > 0 ? inFlightGate(maxInFlight, saturatedInFlight) : undefined,
  };
}

/** For the node server's listener: refusals over the in-flight bound before the app; undefined without a bound. */
export function earlyRefusal(app: Hono<AppEnv>, logger: Logger, shared: SharedServices): ConfiguredApp['answerEarly'] {
  const gate = shared.inFlight;
  return gate && earlyOverloadRefusal({ gate, routeOf: routeLabelOf(app), logger, observe: shared.metrics.observeRequest });
}

/** `cluster`: the node server's worker's link to its primary (readiness, metrics and rate limit across workers). */
export function createConfiguredApp(config: ServerConfig, logOutput: LogOutput, logFields?: LogFields, cluster?: ClusterLink): ConfiguredApp {
  const logger = createLogger(config.logLevel, logOutput, logFields);
  const catalog = new ModelCatalog(config.limits);
  if (cluster) catalog.awaitPeers(cluster.allReady);
  const shared = createSharedServices(catalog, config.protection, cluster?.takeToken);
  const app = createApp({
    catalog,
    logger,
    limits: config.limits,
    appVersion: config.appVersion,
    protection: config.protection,
    cluster,
    ...shared,
  });
  return { app, catalog, logger, shared, answerEarly: earlyRefusal(app, logger, shared) };
}
