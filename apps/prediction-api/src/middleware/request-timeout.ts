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

/**
 * Settles with `work`, or at `timeoutMs` expires `deadline` (so a model run stops between chunks) and rejects with
 * RequestTimeoutError (503 timeout; DEADLINE_EXCEEDED over gRPC). One promise and no Promise.race: it runs on every
 * request and call.
 */
export function withinDeadline<T>(work: () => Promise<T>, timeoutMs: number, deadline: Deadline): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      const error = new RequestTimeoutError(timeoutMs);
      deadline.expire(error);
      reject(error);
    }, timeoutMs);
    work().then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** What hono/timeout does, with the deadline handed to the routes as `signal`. */
export function requestTimeout(timeoutMs: number): MiddlewareHandler<AppEnv> {
  return (c, next) => {
    const signal = new Deadline();
    c.set('signal', signal);
    return withinDeadline(next, timeoutMs, signal);
  };
}
