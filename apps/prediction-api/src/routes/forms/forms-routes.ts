// HTML pages for people: the index of models at / and a form per model at /models/{name} (its latest version).
import { Hono } from 'hono';
import type { AppEnv } from '../../app-env';
import type { ModelCatalog } from '../../model-catalog';
import { indexPage } from './index-page';
import { modelPage } from './model-page';

export function formsRoutes(catalog: ModelCatalog, limits: { maxStringLength?: number }): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/', (c) => {
      const registry = catalog.current();
      return c.html(indexPage(registry.names().map((name) => catalog.resolve(name))));
    })
    .get('/models/:name', (c) => c.html(modelPage(catalog.resolve(c.req.param('name')), limits)));
}
