// The Lambda handler over any Hono app: the models are checked for changes (awaited, at most every
// MODEL_REFRESH_SECONDS, a no-op in between) and the event is answered by Hono's aws-lambda adapter, which
// handles API Gateway REST (payload v1), HTTP API (payload v2) and Function URL events, base64 bodies included.
import type { Context } from 'aws-lambda';
import type { Hono } from 'hono';
import { type APIGatewayProxyResult, type LambdaContext, type LambdaEvent, handle } from 'hono/aws-lambda';
import type { Env } from 'hono/types';
import { type HttpEvent, withRoutePath } from './route-path';

export type LambdaHandler = (event: HttpEvent, context: Context) => Promise<APIGatewayProxyResult>;

export function createLambdaHandler<E extends Env>(
  app: Hono<E>,
  models: { refreshIfDue(): Promise<void> },
): LambdaHandler {
  const answer = handle(app);
  return async (event, context) => {
    await models.refreshIfDue();
    // Hono's event types say "optional" where AWS sends null (query strings, path parameters); its code reads both.
    return answer(withRoutePath(event) as unknown as LambdaEvent, context as unknown as LambdaContext);
  };
}
