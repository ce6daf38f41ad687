// Serving, in a single process or in one worker of the cluster: start listening (so /health answers at once and
// /ready says 503), with the gRPC server beside HTTP (GRPC_PORT), load the models, then serve; SIGTERM/SIGINT drain
// in-flight requests and calls of both before the process exits. main.ts imports this module only where it serves,
// so a primary never loads onnxruntime, Hono or gRPC before it forks its workers.
import type { ServerConfig } from './config';
import { createConfiguredApp } from './configured-app';
import { startGrpcServer, type RunningGrpcServer } from './grpc/grpc-server';
import { startModelSource } from './model-source';
import { shedWhileSaturated } from './middleware/in-flight-limit';
import { startServer, type RunningServer } from './server';
import type { ClusterLink } from './workers/worker-link';

/** `cappedByMemory`: the worker plan, when WORKER_MEMORY_MB left room for only this one process. */
export async function serve(config: ServerConfig, link: ClusterLink | undefined, cappedByMemory?: object): Promise<void> {
  const { app, catalog, logger, shared, answerEarly } = createConfiguredApp(config, 'buffered', { pid: process.pid }, link);
  if (cappedByMemory) logger.warn(cappedByMemory, 'WORKER_MEMORY_MB leaves room for one worker: serving in one process');
  let server: RunningServer | undefined;
  const stopShedding = shared.inFlight && config.protection.saturatedInFlight > 0 ? shedWhileSaturated(shared.inFlight) : undefined;
  let grpc: RunningGrpcServer | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    await Promise.all([server?.close(config.shutdownTimeoutMs), grpc?.close(config.shutdownTimeoutMs)]);
    stopShedding?.();
    logger.info('stopped');
    logger.flush();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  const listen = async () => {
    server = await startServer(app, { port: config.port, host: config.host, answerEarly });
    logger.info({ port: server.port, host: config.host, modelDir: config.modelDir }, 'listening');
    if (config.grpcPort === null) return;
    grpc = await startGrpcServer({ ...config, port: config.grpcPort }, { catalog, logger, ...shared });
    logger.info({ port: grpc.port, host: config.host }, 'gRPC listening');
  };

  // A worker restarted in place of one that exited joins the others only once it can predict, so it never answers
  // not_ready where they would have served; on a first start, /health must answer at once.
  if (!link?.replacement) await listen();
  await startModelSource(config, catalog, logger, { backgroundRefresh: true });
  if (link?.replacement) await listen();
  link?.reportReady();
}
