// A request that takes longer than the limit is answered 503 `timeout` at the deadline.
//
// What is and is not cancelled: the caller gets its answer at the deadline and the connection is free, but the work
// already started carries on to its end and its result is dropped. onnxruntime-node runs a session synchronously
// on the main thread, so no run can be interrupted; a large batch runs in chunks (MAX_ROWS_PER_RUN rows) with the
// event loop free between them, which is when the deadline can fire (and other requests get served), but the
// remaining chunks still run. The limit bounds what callers wait for, not the CPU a batch costs: MAX_INSTANCES does.
import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { timeout } from 'hono/timeout';
import type { AppEnv } from '../app-env';
import { RequestTimeoutError } from '../errors';

export function requestTimeout(timeoutMs: number): MiddlewareHandler<AppEnv> {
  // hono/timeout throws an HTTPException; the ApiError it carries is what onError answers with.
  return timeout(timeoutMs, () => new HTTPException(503, { cause: new RequestTimeoutError(timeoutMs) }));
}
