// The route a request asked for, as its pattern (`/v1/models/:name/predict`), for logs and metric labels.
import type { Context, Hono } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv } from '../app-env';

/**
 * The last matched route is the handler's, so a request answered early by middleware (401, 429, 413) is still
 * labelled with the route it asked for; a path no route matches gets the catch-all `/*`. Never the raw path:
 * metric label values must stay a small, bounded set.
 */
export const routeLabel = (c: Context): string => routePath(c, -1);

/** The same label for a request the app has not seen yet (the node server's early refusal), from its router. */
export function routeLabelOf(app: Hono<AppEnv>): (method: string, path: string) => string {
  return (method, path) => app.router.match(method === 'HEAD' ? 'GET' : method, path)[0].at(-1)?.[0][1].path ?? '/*';
}
