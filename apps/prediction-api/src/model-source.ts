// Where the served models come from, as configured: the image's own folder (MODEL_DIR), or an S3 prefix
// (MODEL_S3_URI) mirrored to local disk and re-checked for changes. Both entrypoints start it the same way,
// so the node server and the Lambda handler log the same 'models loaded: ready' line, and every registry either
// store loads is handed to the catalog here.
import { LocalModelStore, loadModels, type LoadModelsOptions, type ModelRegistry } from '@onnx-serve/inference';
import { S3ModelSource } from '@onnx-serve/model-source-s3';
import type { Logger } from 'pino';
import type { ServerConfig } from './config';
import type { ModelCatalog } from './model-catalog';

export interface ModelSourceOptions {
  /**
   * Re-check S3 on a timer (the node server: no request waits for it). Off for Lambda, which freezes the
   * environment between invocations: a timer or background download would stall mid-flight there, so the
   * handler awaits refreshIfDue() instead.
   */
  backgroundRefresh: boolean;
}

/**
 * Loads the configured models into `catalog`. The `refreshIfDue` it returns checks S3 for changed models when
 * MODEL_REFRESH_SECONDS have passed since the last check, and serves them; otherwise (and for a local folder) it
 * returns at once. It never rejects: a failed refresh is logged and the old models serve on.
 */
export async function startModelSource(
  config: ServerConfig,
  catalog: ModelCatalog,
  logger: Logger,
  options: ModelSourceOptions,
): Promise<{ refreshIfDue(): Promise<void> }> {
  const started = performance.now();
  const loadOptions: LoadModelsOptions = {
    intraOpNumThreads: config.intraOpThreads,
    maxRowsPerRun: config.maxRowsPerRun,
    goldenCheck: config.goldenCheck,
  };
  let registry: ModelRegistry;
  let from: Record<string, string>;
  // Every registry, the first and each S3 reload, is served from here.
  const serve = (next: ModelRegistry): void => {
    catalog.use(next);
    for (const model of catalog.allModels()) {
      if (model.verification?.status !== 'failed') continue;
      // Only GOLDEN_CHECK=warn lets such a model load: say so each time it is served, as GET /v1/models/{name} does.
      const { failed, problems } = model.verification;
      logger.warn({ ...from, model: model.name, version: model.version, failed, problems, verification: model.verification }, 'golden rows fail: served anyway (GOLDEN_CHECK=warn)');
    }
  };
  let refreshIfDue = async (): Promise<void> => undefined;

  if (config.s3Models) {
    const { location, refreshSeconds, cacheDir, endpoint } = config.s3Models;
    const s3 = new S3ModelSource({ location, cacheDir, endpoint, refreshSeconds, loadOptions, logger });
    const result = await s3.start();
    registry = result.registry;
    for (const key of result.ignored) logger.warn({ modelS3Uri: location.uri, key }, 'not a model store file: ignored');
    refreshIfDue = async () => {
      const outcome = await s3.refreshIfDue();
      if (outcome.status === 'reloaded') serve(outcome.registry);
    };
    if (options.backgroundRefresh && refreshSeconds > 0) {
      // unref: a pending check must never hold a stopping server open.
      setInterval(() => void refreshIfDue(), refreshSeconds * 1000).unref();
    }
    from = { modelS3Uri: location.uri, modelDir: s3.localDir };
  } else {
    registry = await loadModels(new LocalModelStore(config.modelDir), loadOptions);
    from = { modelDir: config.modelDir };
  }
  for (const warning of registry.warnings) logger.warn(from, warning);
  serve(registry);
  logger.info(
    {
      ...from,
      models: catalog.allModels().map((m) => ({ name: m.name, version: m.version, patches: m.patches })),
      loadMs: Math.round(performance.now() - started),
    },
    'models loaded: ready',
  );
  return { refreshIfDue };
}
