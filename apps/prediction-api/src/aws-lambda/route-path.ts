// API Gateway hands a function more than the route in its path. HTTP APIs (payload v2) prefix a named stage
// (/prod/v1/models), and a REST API behind a custom domain prefixes the base path mapping, while the same REST
// API called on its execute-api URL does not (a stage named "v1" must not eat the app's own /v1). The app's
// routes start at "/", so the path is rebuilt from what API Gateway itself matched.
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';

/** What reaches the function from API Gateway (REST or HTTP API) or a Function URL. */
export type HttpEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2;

export function withRoutePath<E extends HttpEvent>(event: E): E {
  if ('rawPath' in event) return { ...event, rawPath: withoutStage(event.rawPath, event.requestContext.stage) };
  const path = fromResource(event.resource, event.pathParameters);
  return path === undefined ? event : { ...event, path };
}

function withoutStage(rawPath: string, stage: string | undefined): string {
  // Function URLs and HTTP APIs on the $default stage carry no prefix.
  if (!stage || stage === '$default') return rawPath;
  if (rawPath === `/${stage}`) return '/';
  return rawPath.startsWith(`/${stage}/`) ? rawPath.slice(stage.length + 1) : rawPath;
}

/** "/{proxy+}" with proxy "v1/models/iris" is "/v1/models/iris"; "/health" is itself. */
function fromResource(resource: string | undefined, parameters: Record<string, string | undefined> | null): string | undefined {
  if (!resource?.startsWith('/')) return undefined; // an HTTP API's "$default" route, sent as payload v1
  let complete = true;
  const path = resource.replace(/\{([^}+]+)\+?\}/g, (_, name: string) => {
    const value = parameters?.[name];
    if (value === undefined) complete = false;
    return value ?? '';
  });
  return complete ? path : undefined;
}
