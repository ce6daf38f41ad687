// Per-request values the middleware and routes share through Hono's context.
export interface AppEnv {
  Variables: {
    requestId: string;
    /** Set by prediction routes so the request log line names the model and the batch size. */
    model?: string;
    batchSize?: number;
    /** Which configured API key the caller sent (its position in API_KEYS): the rate limit's bucket. */
    apiKeyIndex?: number;
  };
}
