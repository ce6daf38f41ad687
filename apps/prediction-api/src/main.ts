// The node entrypoint: read config, start listening (so /health answers at once and /ready says 503),
// load the models, then serve. SIGTERM/SIGINT drain in-flight requests before the process exits.
import { LocalModelStore, loadModels } from '@onnx-serve/inference';
import { createApp } from './app';
import { readServerConfig } from './config';
import { createLogger } from './logger';
import { ModelCatalog } from './model-catalog';
import { startServer } from './server';

async function main(): Promise<void> {
  const config = readServerConfig(process.env);
  const logger = createLogger(config.logLevel);
  const catalog = new ModelCatalog(config.limits);
  const app = createApp({
    catalog,
    logger,
    limits: config.limits,
    appVersion: config.appVersion,
    protection: config.protection,
  });
  const server = await startServer(app, { port: config.port, host: config.host });
  logger.info({ port: server.port, host: config.host, modelDir: config.modelDir }, 'listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    await server.close(config.shutdownTimeoutMs);
    logger.info('stopped');
    logger.flush();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  const started = performance.now();
  const registry = await loadModels(new LocalModelStore(config.modelDir), {
    intraOpNumThreads: config.intraOpThreads,
    maxRowsPerRun: config.maxRowsPerRun,
  });
  catalog.use(registry);
  for (const warning of registry.warnings) logger.warn({ modelDir: config.modelDir }, warning);
  logger.info(
    {
      models: catalog.allModels().map((m) => ({ name: m.name, version: m.version, patches: m.patches })),
      loadMs: Math.round(performance.now() - started),
    },
    'models loaded: ready',
  );
}

main().catch((err: unknown) => {
  // Config and model-load failures end the process: a server that cannot serve must not look healthy.
  console.error(JSON.stringify({ level: 'fatal', msg: 'startup failed', err: String((err as Error)?.stack ?? err) }));
  process.exit(1);
});
