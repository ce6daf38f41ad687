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
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
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

/** `take`: this process's own buckets unless given (the node server's workers share the primary's). */
export function rateLimit(options: RateLimitOptions, take?: TakeToken): MiddlewareHandler<AppEnv> {
  const takeToken: TakeToken = take ?? bucketsHere(options);
  return async (c, next) => {
    if (isProbe(c.req.path)) return next();
    const keyIndex = c.get('apiKeyIndex');
    const caller = keyIndex === undefined ? `address:${clientAddress(c, options.trustProxy)}` : `key:${keyIndex}`;
    const taken = takeToken(caller);
    const retryAfterSeconds = typeof taken === 'number' ? taken : await taken;
    if (retryAfterSeconds > 0) throw new RateLimitedError(retryAfterSeconds);
    return next();
  };
}

/** Buckets in this process. */
function bucketsHere(config: RateLimitConfig): TakeToken {
  const buckets = new TokenBuckets(config);
  return (caller) => buckets.take(caller);
}
