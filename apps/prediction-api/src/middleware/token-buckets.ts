// Token buckets by caller id, in bounded memory: the rate limiter's state, with no HTTP in it.

export interface RateLimitConfig {
  /** Tokens added per minute: the sustained rate. */
  perMinute: number;
  /** Bucket size: how many requests a caller may make at once after being idle. */
  burst: number;
}

interface Bucket {
  tokens: number;
  /** When `tokens` was computed (ms on the `now` clock). */
  at: number;
}

export class TokenBuckets {
  // Map order is least recently used first: every take re-inserts its bucket at the end.
  private readonly buckets = new Map<string, Bucket>();
  private readonly tokensPerMs: number;
  /** An empty bucket is full again after this long; an idle bucket that old is the same as a new one. */
  private readonly refillMs: number;

  constructor(
    private readonly config: RateLimitConfig,
    private readonly maxBuckets = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokensPerMs = config.perMinute / 60_000;
    this.refillMs = config.burst / this.tokensPerMs;
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Takes a token from `id`'s bucket: 0 when granted, else the whole seconds until one is there (Retry-After). */
  take(id: string): number {
    const now = this.now();
    this.evictIdle(now);
    const bucket = this.buckets.get(id);
    const tokens = bucket ? Math.min(this.config.burst, bucket.tokens + (now - bucket.at) * this.tokensPerMs) : this.config.burst;
    this.buckets.delete(id);
    const granted = tokens >= 1;
    this.buckets.set(id, { tokens: granted ? tokens - 1 : tokens, at: now });
    // Over the cap (many addresses at once), the least recently seen lose their state: they start full again.
    for (const oldest of this.buckets.keys()) {
      if (this.buckets.size <= this.maxBuckets) break;
      this.buckets.delete(oldest);
    }
    return granted ? 0 : Math.max(1, Math.ceil((1 - tokens) / this.tokensPerMs / 1000));
  }

  private evictIdle(now: number): void {
    for (const [id, bucket] of this.buckets) {
      if (now - bucket.at < this.refillMs) break;
      this.buckets.delete(id);
    }
  }
}
