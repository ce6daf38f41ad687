// The protection middleware in the order it must run: the key first (so the rate limit can count per key and an
// unknown caller costs one hash, never a body read), then the rate limit, then the deadline for the rest.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import type { Protection } from '../config';
import { apiKeyAuth } from './api-key-auth';
import { isProbe, metricsPath } from './open-paths';
import { rateLimit } from './rate-limit';
import { requestTimeout } from './request-timeout';

export function protectionMiddleware(protection: Protection): MiddlewareHandler<AppEnv>[] {
  const keyless = (path: string) => isProbe(path) || (protection.metricsPublic && path === metricsPath);
  const chain: MiddlewareHandler<AppEnv>[] = [];
  if (protection.apiKeys.length > 0) chain.push(apiKeyAuth(protection.apiKeys, keyless));
  if (protection.rateLimit) chain.push(rateLimit({ ...protection.rateLimit, trustProxy: protection.trustProxy }));
  if (protection.requestTimeoutMs > 0) chain.push(requestTimeout(protection.requestTimeoutMs));
  return chain;
}
