// The request body limit, decided from Content-Length where there is one. hono/body-limit reads
// `c.req.raw.body` on every request, which makes @hono/node-server build a full web Request (stream, abort
// signal) and roughly doubles the cost of a small prediction; only chunked bodies need the streaming count.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../app-env';
import { requestHeader } from '../http/request-header';
import { PayloadTooLargeError } from '../errors';

export function bodySizeLimit(maxBytes: number): MiddlewareHandler<AppEnv> {
  const tooLarge = (): never => {
    throw new PayloadTooLargeError(maxBytes);
  };
  const countStreamedBody = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const declared = requestHeader(c, 'content-length');
    if (declared !== undefined && requestHeader(c, 'transfer-encoding') === undefined) {
      return Number(declared) > maxBytes ? tooLarge() : next();
    }
    return countStreamedBody(c, next);
  };
}
