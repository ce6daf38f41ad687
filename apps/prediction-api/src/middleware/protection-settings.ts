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
  /**
   * While the event loop is saturated (shedWhileSaturated), requests past this many in flight are refused too;
   * 0 = only maxInFlight refuses.
   */
  saturatedInFlight: number;
}

/** Open (as for local `npm start`), unlimited (see README: a default that spares a benchmark protects nothing). */
export const defaultProtection: Protection = {
  apiKeys: [],
  metricsPublic: false,
  rateLimit: null,
  trustProxy: false,
  requestTimeoutMs: 30_000,
  // What arrives while the event loop is paused (a major GC, a large batch's chunk) is in flight at once when it
  // resumes: a bound of a few dozen refuses healthy traffic after every such pause. 256 one-row predictions are tens
  // of ms of queue: a process that far behind is saturated, and more queueing would only add latency, not answers.
  maxInFlight: 256,
  // Off: at 48 it kept answers at twice the saturating load within tens of ms, but it also refused a few hundred
  // requests in a 10-minute soak at 70% of that load, where the loop paused with dozens in flight (README).
  saturatedInFlight: 0,
};
