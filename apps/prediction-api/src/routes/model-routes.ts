// The v1 model API: what is served, each model's spec and ONNX signature, and predictions.
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../app-env';
import { readJsonBody } from '../http/read-json-body';
import type { ModelCatalog } from '../model-catalog';

export function modelRoutes(catalog: ModelCatalog): Hono<AppEnv> {
  const predict = async (c: Context<AppEnv>, name: string, version?: string) => {
    c.set('model', name);
    const model = catalog.resolve(name, version);
    const { predictions } = await catalog.predictor(model).predict(await readJsonBody(c), { signal: c.get('signal') });
    c.set('batchSize', predictions.length);
    return c.json({ model: { name: model.name, version: model.version }, predictions });
  };

  const describe = (c: Context<AppEnv>, name: string, version?: string) => {
    const model = catalog.resolve(name, version);
    return c.json({
      name: model.name,
      version: model.version,
      versions: catalog.versionsOf(model.name),
      sha256: model.sha256,
      mode: model.spec ? 'features' : 'raw',
      spec: model.spec,
      signature: model.signature,
      patches: model.patches,
      externalData: model.externalData,
      verification: model.verification,
    });
  };

  return new Hono<AppEnv>()
    .get('/v1/models', (c) => {
      const models = catalog.current().names().map((name) => {
        const model = catalog.resolve(name);
        return {
          name,
          version: model.version,
          versions: catalog.versionsOf(name),
          mode: model.spec ? 'features' : 'raw',
          task: model.spec?.outputs.kind ?? null,
          description: model.spec?.description ?? null,
        };
      });
      return c.json({ models });
    })
    .get('/v1/models/:name', (c) => describe(c, c.req.param('name')))
    .get('/v1/models/:name/versions/:version', (c) => describe(c, c.req.param('name'), c.req.param('version')))
    .post('/v1/models/:name/predict', (c) => predict(c, c.req.param('name')))
    .post('/v1/models/:name/versions/:version/predict', (c) =>
      predict(c, c.req.param('name'), c.req.param('version')),
    );
}
