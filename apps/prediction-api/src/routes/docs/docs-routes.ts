// The OpenAPI document at /openapi.json (generated from the served models' schemas, once per model registry) and
// the Swagger UI at /docs, whose assets are served from the swagger-ui-dist package so the page works offline.
import { buildOpenApiDocument } from '@onnx-serve/api-contract';
import type { ModelRegistry } from '@onnx-serve/inference';
import { swaggerUI } from '@hono/swagger-ui';
import { Hono } from 'hono';
import type { AppEnv } from '../../app-env';
import { defaultProtection, type Protection } from '../../middleware/protection';
import type { ModelCatalog } from '../../model-catalog';
import type { ServiceLimits } from '../../service-limits';
import { packageAssetRoute } from '../package-assets';

const swaggerAssets = new Map([
  ['swagger-ui.css', 'text/css; charset=utf-8'],
  ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
]);

export interface DocsOptions {
  catalog: ModelCatalog;
  appVersion: string;
  limits: ServiceLimits;
  /** What the protection middleware demands, so the document (and Swagger UI's Authorize) says so. */
  protection?: Partial<Protection>;
}

export function docsRoutes({ catalog, appVersion, limits, protection }: DocsOptions): Hono<AppEnv> {
  const { apiKeys, rateLimit } = { ...defaultProtection, ...protection };
  const access = { apiKeys: apiKeys.length > 0, rateLimit: rateLimit !== null };
  // A registry is swapped whole, so its document never changes: build it on first use, drop it with the registry.
  const documents = new WeakMap<ModelRegistry, string>();
  const documentOf = (registry: ModelRegistry): string => {
    let document = documents.get(registry);
    if (document === undefined) {
      const models = catalog.allModels().map(({ name, version, spec, signature }) => ({ name, version, spec, signature }));
      document = JSON.stringify(buildOpenApiDocument({ models, appVersion, limits, access }));
      documents.set(registry, document);
    }
    return document;
  };

  return new Hono<AppEnv>()
    .get('/openapi.json', (c) => c.body(documentOf(catalog.current()), 200, { 'content-type': 'application/json' }))
    .get(
      '/docs',
      // Relative URLs, so the page also works behind a path prefix (an API gateway stage, a reverse proxy).
      swaggerUI({ url: 'openapi.json', baseUrl: 'docs/assets', title: 'ONNX prediction API', persistAuthorization: true }),
    )
    .get('/docs/assets/swagger-ui-dist/:file', packageAssetRoute('swagger-ui-dist', swaggerAssets));
}
