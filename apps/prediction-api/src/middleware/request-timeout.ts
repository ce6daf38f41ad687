// A request that takes longer than the limit is answered 503 `timeout` at the deadline, and the model run it started
// stops there too.
//
// What is and is not cancelled: the caller gets its answer at the deadline and the connection is free. onnxruntime-node
// runs a session synchronously on the main thread, so no single run can be interrupted; but a large batch runs in
// chunks (MAX_ROWS_PER_RUN rows) with the event loop free between them, which is when the deadline fires. The
// request's `signal` (in the context) is aborted then, and the model's chunk loop runs no further chunk: what a
// timed-out batch costs past its deadline is the one chunk running when it fired.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { RequestTimeoutError } from '../errors';

/**
 * What the routes (and gRPC calls) pass to model runs: a plain object, as an AbortController costs ~4 µs on every
 * request. `expire` aborts it with the timeout error.
 */
export class Deadline {
  aborted = false;
  reason: unknown = undefined;

  expire(error: RequestTimeoutError): void {
    this.reason = error;
    this.aborted = true;
  }
}

export function requestTimeout(timeoutMs: number): MiddlewareHandler<AppEnv> {
  // What hono/timeout does, with one promise and no Promise.race per request: it runs on every request.
  return (c, next) =>
    new Promise<void>((resolve, reject) => {
      const signal = new Deadline();
      c.set('signal', signal);
      const deadline = setTimeout(() => {
        const error = new RequestTimeoutError(timeoutMs);
        signal.expire(error);
        reject(error);
      }, timeoutMs);
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
