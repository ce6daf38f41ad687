// Per-request values the middleware and routes share through Hono's context.
import type { Logger } from 'pino';

export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    /** Set by prediction routes so the request log line names the model and the batch size. */
    model?: string;
    batchSize?: number;
  };
}
