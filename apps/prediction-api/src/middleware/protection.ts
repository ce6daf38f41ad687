// What protects the app (read from the environment by config.ts) and its middleware in the order it must run: the
// key first (so the rate limit can count per key and an unknown caller costs one hash, never a body read), then the
// rate limit, then the deadline for the rest.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { apiKeyAuth } from './api-key-auth';
import type { ApiKeyDigests } from './api-keys';
import { isProbe, metricsPath } from './open-paths';
import { rateLimit, type TakeToken } from './rate-limit';
import { requestTimeout } from './request-timeout';
import type { RateLimitConfig } from './token-buckets';

/** Who may call, how often, and for how long a request may run. */
export interface Protection {
  /** Digests of the accepted API keys; empty = every route is open. */
  apiKeys: ApiKeyDigests;
  /** Serve /metrics without a key even when keys are set (a scraper that cannot send one). */
  metricsPublic: boolean;
  /** A token bucket per key (or client address when open); null = no limit. */
  rateLimit: RateLimitConfig | null;
  /** Client addresses come from X-Forwarded-For's last entry (one trusted proxy in front). */
  trustProxy: boolean;
  /** 0 = no timeout. */
  requestTimeoutMs: number;
}

/** Open (as for local `npm start`), unlimited (see README: a default that spares a benchmark protects nothing). */
export const defaultProtection: Protection = {
  apiKeys: [],
  metricsPublic: false,
  rateLimit: null,
  trustProxy: false,
  requestTimeoutMs: 30_000,
};

/** `takeToken`: the rate limit's buckets, when shared with the gRPC server; the middleware's own otherwise. */
export function protectionMiddleware(protection: Protection, takeToken?: TakeToken): MiddlewareHandler<AppEnv>[] {
  const keyless = (path: string) => isProbe(path) || (protection.metricsPublic && path === metricsPath);
  const chain: MiddlewareHandler<AppEnv>[] = [];
  if (protection.apiKeys.length > 0) chain.push(apiKeyAuth(protection.apiKeys, keyless));
  if (protection.rateLimit) chain.push(rateLimit({ ...protection.rateLimit, trustProxy: protection.trustProxy }, takeToken));
  if (protection.requestTimeoutMs > 0) chain.push(requestTimeout(protection.requestTimeoutMs));
  return chain;
}
