// Every route but the probes needs one of the configured API keys, sent as x-api-key or Authorization: Bearer.
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { ForbiddenError, UnauthorizedError } from '../errors';
import { matchApiKey, type ApiKeyDigests } from './api-keys';

const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** The key the caller sent, if any: x-api-key first, else an Authorization: Bearer token. */
export function presentedApiKey(c: Context): string | undefined {
  const apiKeyHeader = c.req.header('x-api-key')?.trim();
  if (apiKeyHeader) return apiKeyHeader;
  return bearer.exec(c.req.header('authorization') ?? '')?.[1];
}

/** 401 when no key is sent, 403 when it is not one of `digests`; `isOpen` paths pass without one. */
export function apiKeyAuth(digests: ApiKeyDigests, isOpen: (path: string) => boolean): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (isOpen(c.req.path)) return next();
    const presented = presentedApiKey(c);
    if (presented === undefined) throw new UnauthorizedError();
    const keyIndex = matchApiKey(digests, presented);
    if (keyIndex === undefined) throw new ForbiddenError();
    c.set('apiKeyIndex', keyIndex);
    return next();
  };
}
