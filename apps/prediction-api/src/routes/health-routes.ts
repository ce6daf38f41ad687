// Probes and build facts: liveness, readiness (every model loaded, in every worker), and what exactly is being served.
import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import type { ModelCatalog } from '../model-catalog';

export function healthRoutes(catalog: ModelCatalog, appVersion: string): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/health', (c) => c.json({ status: 'ok' }))
    .get('/ready', (c) =>
      catalog.allReady
        ? c.json({ status: 'ready', models: catalog.current().names().length })
        : c.json({ status: 'loading' }, 503),
    )
    .get('/version', (c) => {
      const models = catalog.ready
        ? catalog
            .allModels()
            .map((m) => ({ name: m.name, version: m.version, sha256: m.sha256 }))
        : [];
      return c.json({ version: appVersion, models });
    });
}
