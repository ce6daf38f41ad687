// What protects the app, as config.ts reads it from the environment, and its defaults: a module of its own, without
// the middleware (Hono, the error types), so the cluster's primary reads its config without loading those.
import type { ApiKeyDigests } from './api-keys';
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
