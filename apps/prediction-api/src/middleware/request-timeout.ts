// A request that takes longer than the limit is answered 503 `timeout` at the deadline.
//
// What is and is not cancelled: the caller gets its answer at the deadline and the connection is free, but the work
// already started carries on to its end and its result is dropped. onnxruntime-node runs a session synchronously
// on the main thread, so no run can be interrupted; a large batch runs in chunks (MAX_ROWS_PER_RUN rows) with the
// event loop free between them, which is when the deadline can fire (and other requests get served), but the
// remaining chunks still run. The limit bounds what callers wait for, not the CPU a batch costs: MAX_INSTANCES does.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { RequestTimeoutError } from '../errors';

export function requestTimeout(timeoutMs: number): MiddlewareHandler<AppEnv> {
  // What hono/timeout does, with one promise and no Promise.race per request: it runs on every request.
  return (_c, next) =>
    new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new RequestTimeoutError(timeoutMs)), timeoutMs);
      next().then(
        () => {
          clearTimeout(deadline);
          resolve();
        },
        (error: unknown) => {
          clearTimeout(deadline);
          reject(error);
        },
      );
    });
}
