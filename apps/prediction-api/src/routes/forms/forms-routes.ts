// HTML pages for people: the index of models at /, a page per model at /models/{name} (its latest version), its CSV
// template, and the CSV parser the model pages run in the browser (served here: the pages fetch nothing elsewhere).
import { Hono } from 'hono';
import type { AppEnv } from '../../app-env';
import { ApiError } from '../../errors';
import type { ModelCatalog } from '../../model-catalog';
import { packageAssetRoute } from '../package-assets';
import { csvTemplate } from './csv-template';
import { indexPage } from './index-page';
import { modelPage, type PageLimits } from './model-page';

const pageAssets = new Map([['papaparse.min.js', 'text/javascript; charset=utf-8']]);

export function formsRoutes(catalog: ModelCatalog, limits: PageLimits): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/', (c) => {
      const registry = catalog.current();
      return c.html(indexPage(registry.names().map((name) => catalog.resolve(name))));
    })
    .get('/models/:name', (c) => c.html(modelPage(catalog.resolve(c.req.param('name')), limits)))
    .get('/models/:name/template.csv', (c) => {
      const model = catalog.resolve(c.req.param('name'));
      if (!model.spec) {
        throw new ApiError(404, 'not_found', `model '${model.name}' has no spec.json, so no named features to put in a CSV`);
      }
      return c.body(csvTemplate(model.spec), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${model.name}-template.csv"`,
      });
    })
    .get('/assets/:file', packageAssetRoute('papaparse', pageAssets));
}
