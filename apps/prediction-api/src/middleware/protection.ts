// What protects the app (read from the environment by config.ts) and its middleware in the order it must run: the
// in-flight bound first (an overloaded process refuses before it spends anything), then the key (so the rate limit
// can count per key and an unknown caller costs one hash, never a body read), then the rate limit, then the deadline
// for the rest.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { apiKeyAuth } from './api-key-auth';
import type { ApiKeyDigests } from './api-keys';
import { inFlightGate, inFlightLimit, type InFlightGate } from './in-flight-limit';
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
  /** Requests this process runs at once before answering 503 overloaded; 0 = no limit. */
  maxInFlight: number;
}

/** Open (as for local `npm start`), unlimited (see README: a default that spares a benchmark protects nothing). */
export const defaultProtection: Protection = {
  apiKeys: [],
  metricsPublic: false,
  rateLimit: null,
  trustProxy: false,
  requestTimeoutMs: 30_000,
  // A one-row prediction costs ~0.3 ms of CPU: 64 waiting is ~20 ms of queue, and a process that far behind is
  // saturated; more queueing would only add latency to every request, not answers.
  maxInFlight: 64,
};

/**
 * `takeToken`: where the rate limit's buckets are (the node server's primary, for its workers), shared with the gRPC
 * server; this middleware's own otherwise.
 */
export function protectionMiddleware(protection: Protection, takeToken?: TakeToken, inFlight?: InFlightGate): MiddlewareHandler<AppEnv>[] {
  const keyless = (path: string) => isProbe(path) || (protection.metricsPublic && path === metricsPath);
  const chain: MiddlewareHandler<AppEnv>[] = [];
  const gate = inFlight ?? (protection.maxInFlight > 0 ? inFlightGate(protection.maxInFlight) : undefined);
  if (gate) chain.push(inFlightLimit(gate));
  if (protection.apiKeys.length > 0) chain.push(apiKeyAuth(protection.apiKeys, keyless));
  if (protection.rateLimit) chain.push(rateLimit({ ...protection.rateLimit, trustProxy: protection.trustProxy }, takeToken));
  if (protection.requestTimeoutMs > 0) chain.push(requestTimeout(protection.requestTimeoutMs));
  return chain;
}
