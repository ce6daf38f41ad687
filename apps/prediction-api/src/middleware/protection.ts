// What protects the app (read from the environment by config.ts) and its middleware in the order it must run: the
// in-flight bound first (an overloaded process refuses before it spends anything), then the key (so the rate limit
// can count per key and an unknown caller costs one hash, never a body read), then the rate limit, then the deadline
// for the rest.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { apiKeyAuth } from './api-key-auth';
import { inFlightGate, inFlightLimit, type InFlightGate } from './in-flight-limit';
import { isProbe, metricsPath } from './open-paths';
import { rateLimit, type TakeToken } from './rate-limit';
import type { Protection } from './protection-settings';
import { requestTimeout } from './request-timeout';

// Where every importer of the middleware finds them too.
export { defaultProtection, type Protection } from './protection-settings';

/**
 * `takeToken`: where the rate limit's buckets are (the node server's primary, for its workers), shared with the gRPC
 * server; this middleware's own otherwise.
 */
export function protectionMiddleware(protection: Protection, takeToken?: TakeToken, inFlight?: InFlightGate): MiddlewareHandler<AppEnv>[] {
  const keyless = (path: string) => isProbe(path) || (protection.metricsPublic && path === metricsPath);
  const chain: MiddlewareHandler<AppEnv>[] = [];
  const gate = inFlight ?? (protection.maxInFlight > 0 ? inFlightGate(protection.maxInFlight, protection.saturatedInFlight) : undefined);
  if (gate) chain.push(inFlightLimit(gate));
  if (protection.apiKeys.length > 0) chain.push(apiKeyAuth(protection.apiKeys, keyless));
  if (protection.rateLimit) chain.push(rateLimit({ ...protection.rateLimit, trustProxy: protection.trustProxy }, takeToken));
  if (protection.requestTimeoutMs > 0) chain.push(requestTimeout(protection.requestTimeoutMs));
  return chain;
}
