// The route a request asked for, as its pattern (`/v1/models/:name/predict`), for logs and metric labels.
import type { Context } from 'hono';
import { routePath } from 'hono/route';

/**
 * The last matched route is the handler's, so a request answered early by middleware (401, 429, 413) is still
 * labelled with the route it asked for; a path no route matches gets the catch-all `/*`. Never the raw path:
 * metric label values must stay a small, bounded set.
 */
export const routeLabel = (c: Context): string => routePath(c, -1);
