// The node entrypoint: read config, start listening (so /health answers at once and /ready says 503),
// load the models, then serve; the gRPC server beside it (GRPC_PORT). SIGTERM/SIGINT drain in-flight requests and
// calls of both before the process exits.
import { readServerConfig } from './config';
import { createConfiguredApp } from './configured-app';
import { startGrpcServer } from './grpc/grpc-server';
import { startModelSource } from './model-source';
import { startServer } from './server';
import { startupFailureLine, startupFailureText } from './startup-failure';

async function main(): Promise<void> {
  const config = readServerConfig(process.env);
  const { app, catalog, logger, shared } = createConfiguredApp(config, 'buffered');
  const server = await startServer(app, { port: config.port, host: config.host });
  logger.info({ port: server.port, host: config.host, modelDir: config.modelDir }, 'listening');
  const grpc = config.grpcPort === null ? undefined : await startGrpcServer({ ...config, port: config.grpcPort }, { catalog, logger, ...shared });
  if (grpc) logger.info({ port: grpc.port, host: config.host }, 'gRPC listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    await Promise.all([server.close(config.shutdownTimeoutMs), grpc?.close(config.shutdownTimeoutMs)]);
    logger.info('stopped');
    logger.flush();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  await startModelSource(config, catalog, logger, { backgroundRefresh: true });
}

main().catch((err: unknown) => {
  // Config and model-load failures end the process: a server that cannot serve must not look healthy.
  console.error(startupFailureLine(err));
  process.stderr.write(startupFailureText(err));
  process.exit(1);
});
