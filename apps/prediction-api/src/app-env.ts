// Per-request values the middleware and routes share through Hono's context.
import type { RunSignal } from '@onnx-serve/inference';

export interface AppEnv {
  Variables: {
    requestId: string;
    /** Set by prediction routes so the request log line names the model and the batch size. */
    model?: string;
    batchSize?: number;
    /** Which configured API key the caller sent (its position in API_KEYS): the rate limit's bucket. */
    apiKeyIndex?: number;
    /** Aborted at the request's deadline (REQUEST_TIMEOUT_MS): model runs stop between chunks then. */
    signal?: RunSignal;
  };
}
