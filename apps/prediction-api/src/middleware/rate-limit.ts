// A token bucket per API key, or per client address when the server is open; 429 with Retry-After when empty.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { RateLimitedError } from '../errors';
import { isProbe } from './open-paths';
import { TokenBuckets, type RateLimitConfig } from './token-buckets';

export interface RateLimitOptions extends RateLimitConfig {
  /** Take the client address from X-Forwarded-For (its last entry, the one our proxy appended). */
  trustProxy: boolean;
}

/**
 * The caller's address. Behind one trusted proxy (an ALB, nginx) the last X-Forwarded-For entry is the address
 * that proxy saw; earlier entries are whatever the client wrote, so they are never used.
 */
/** The last entry of an X-Forwarded-For value: the one our proxy appended. */
export function lastForwarded(header: string | undefined): string | undefined {
  return header?.split(',').at(-1)?.trim() || undefined;
}

export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = lastForwarded(c.req.header('x-forwarded-for'));
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // Not on the node server (the Lambda adapter has no socket): every caller shares one bucket.
    return 'unknown';
  }
}

/** Takes a token from `caller`'s bucket: 0 when granted, else the seconds until one is there (TokenBuckets.take). */
export type TakeToken = (caller: string) => number | Promise<number>;

/** Buckets in this process, for REST and gRPC alike: a caller has one budget whichever protocol it calls. */
export function localBuckets(config: RateLimitConfig): TakeToken {
  const buckets = new TokenBuckets(config);
  return (caller) => buckets.take(caller);
}

/** Whose bucket a request takes from: its API key's when keys are set, else its client address's. */
export function rateLimitCaller(keyIndex: number | undefined, address: () => string): string {
  return keyIndex === undefined ? `address:${address()}` : `key:${keyIndex}`;
}

/** Throws 429 rate_limited (with Retry-After) when `caller`'s bucket is empty. */
export async function takeTokenOrRefuse(take: TakeToken, caller: string): Promise<void> {
  const taken = take(caller);
  const retryAfterSeconds = typeof taken === 'number' ? taken : await taken;
  if (retryAfterSeconds > 0) throw new RateLimitedError(retryAfterSeconds);
}

/** `take`: the buckets to take from (shared with the gRPC server); this middleware's own unless given. */
export function rateLimit(options: RateLimitOptions, take: TakeToken = localBuckets(options)): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (isProbe(c.req.path)) return next();
    await takeTokenOrRefuse(take, rateLimitCaller(c.get('apiKeyIndex'), () => clientAddress(c, options.trustProxy)));
    return next();
  };
}
