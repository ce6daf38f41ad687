// The node entrypoint: read config, then either serve in this one process (WEB_CONCURRENCY=1), or, as the primary,
// start and supervise that many workers (workers/primary.ts), each serving as below on the shared ports.
// Serving: start listening (so /health answers at once and /ready says 503), with the gRPC server beside HTTP
// (GRPC_PORT), load the models, then serve; SIGTERM/SIGINT drain in-flight requests and calls of both before the
// process exits.
import cluster from 'node:cluster';
import { readServerConfig, type ServerConfig } from './config';
import { createConfiguredApp } from './configured-app';
import { startGrpcServer, type RunningGrpcServer } from './grpc/grpc-server';
import { startModelSource } from './model-source';
import { startServer, type RunningServer } from './server';
import { startupFailureLine, startupFailureText } from './startup-failure';
import { runPrimary } from './workers/primary';
import { memoryLimitMb, planWorkers } from './workers/worker-count';
import { connectToPrimary, workerConfig, type ClusterLink } from './workers/worker-link';

const link = cluster.isWorker ? connectToPrimary() : undefined;

async function main(): Promise<void> {
  const config = readServerConfig(process.env);
  if (link) return serve(workerConfig(config, link.slot), link);
  const plan = planWorkers(config.workers, memoryLimitMb());
  if (plan.workers > 1) return runPrimary(config, plan);
  await serve(config, undefined, plan.workers < plan.wanted ? plan : undefined);
}

async function serve(config: ServerConfig, link: ClusterLink | undefined, cappedByMemory?: object): Promise<void> {
  const { app, catalog, logger, shared, answerEarly } = createConfiguredApp(config, 'buffered', { pid: process.pid }, link);
  if (cappedByMemory) logger.warn(cappedByMemory, 'WORKER_MEMORY_MB leaves room for one worker: serving in one process');
  let server: RunningServer | undefined;
  let grpc: RunningGrpcServer | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    await Promise.all([server?.close(config.shutdownTimeoutMs), grpc?.close(config.shutdownTimeoutMs)]);
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

main().catch((err: unknown) => {
  // Config and model-load failures end the process: a server that cannot serve must not look healthy. A worker
  // tells its primary, which says it once for all of them.
  if (link) return link.failStart(err);
  console.error(startupFailureLine(err));
  process.stderr.write(startupFailureText(err));
  process.exit(1);
});
