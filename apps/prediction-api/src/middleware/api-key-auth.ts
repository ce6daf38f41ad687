// Every route but the probes needs one of the configured API keys, sent as x-api-key or Authorization: Bearer.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { ForbiddenError, UnauthorizedError } from '../errors';
import { matchApiKey, type ApiKeyDigests } from './api-keys';

const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** A request header (HTTP) or metadata entry (gRPC) by its lower-case name. */
export type HeaderReader = (name: string) => string | undefined;

/** The key the caller sent, if any: x-api-key first, else an Authorization: Bearer token. */
function presentedApiKey(header: HeaderReader): string | undefined {
  const apiKeyHeader = header('x-api-key')?.trim();
  if (apiKeyHeader) return apiKeyHeader;
  return bearer.exec(header('authorization') ?? '')?.[1];
}

/**
 * Which configured key (its position in API_KEYS) the caller sent: 401 when none is sent, 403 when it is not one of
 * `digests`. The one check of every transport (REST here, gRPC in grpc/grpc-calls.ts).
 */
export function authorizedKeyIndex(digests: ApiKeyDigests, header: HeaderReader): number {
  const presented = presentedApiKey(header);
  if (presented === undefined) throw new UnauthorizedError();
  const keyIndex = matchApiKey(digests, presented);
  if (keyIndex === undefined) throw new ForbiddenError();
  return keyIndex;
}

/** 401 when no key is sent, 403 when it is not one of `digests`; `isOpen` paths pass without one. */
export function apiKeyAuth(digests: ApiKeyDigests, isOpen: (path: string) => boolean): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (isOpen(c.req.path)) return next();
    c.set('apiKeyIndex', authorizedKeyIndex(digests, (name) => c.req.header(name)));
    return next();
  };
}
