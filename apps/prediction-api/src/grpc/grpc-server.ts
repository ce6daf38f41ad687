// The gRPC server beside the HTTP server: inference.GRPCInferenceService and grpc.health.v1.Health on GRPC_PORT, over
// the app's catalog, limits, keys, rate-limit buckets and metrics. Plain HTTP/2 (h2c): TLS ends at the load balancer,
// as it does for HTTP. One function starts it, so every process that serves (the node server, each of its workers)
// starts it the same way; a server in a node:cluster worker shares the port as a net server does.
import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { ServerConfig } from '../config';
import type { SharedServices } from '../configured-app';
import type { ModelCatalog } from '../model-catalog';
import { grpcCalls } from './grpc-calls';
import { loadServiceDefinitions } from './grpc-protos';
import { healthService, healthServiceName } from './health-service';
import { inferenceMethods, inferenceServiceName } from './inference-service';

export type GrpcServerOptions = Pick<ServerConfig, 'host' | 'limits' | 'appVersion' | 'protection'> & {
  /** 0: any free port. */
  port: number;
};

export interface GrpcServerDeps extends SharedServices {
  catalog: ModelCatalog;
  logger: Logger;
}

export interface RunningGrpcServer {
  port: number;
  /** Health says NOT_SERVING, no new call is taken, calls in flight finish; those left after `graceMs` are cut. */
  close(graceMs: number): Promise<void>;
}

/** host:port as grpc-js binds it; an IPv6 address goes in brackets. */
const bindAddress = (host: string, port: number) => `${host.includes(':') ? `[${host}]` : host}:${port}`;

export async function startGrpcServer(options: GrpcServerOptions, deps: GrpcServerDeps): Promise<RunningGrpcServer> {
  const services = loadServiceDefinitions();
  const calls = grpcCalls({ logger: deps.logger, metrics: deps.metrics, protection: options.protection, takeToken: deps.takeToken, inFlight: deps.inFlight });
  const server = new Server({
    // MAX_BODY_BYTES bounds a gRPC message as it bounds a REST body: a larger one is RESOURCE_EXHAUSTED (grpc-js's own).
    'grpc.max_receive_message_length': options.limits.maxBodyBytes,
  });

  const inference: UntypedServiceImplementation = {};
  for (const [method, { access, handler }] of Object.entries(inferenceMethods(deps.catalog, options.appVersion, options.limits))) {
    inference[method] = calls.unary(inferenceServiceName, method, access, handler);
  }
  server.addService(services[inferenceServiceName] as ServiceDefinition, inference);
  const health = healthService(deps.catalog, calls);
  server.addService(services[healthServiceName] as ServiceDefinition, { Check: health.Check, Watch: health.Watch });

  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(bindAddress(options.host, options.port), ServerCredentials.createInsecure(), (err, bound) => {
      if (err) reject(new Error(`the gRPC server cannot listen on ${bindAddress(options.host, options.port)} (GRPC_PORT): ${err.message}`));
      else resolve(bound);
    });
  });

  return {
    port,
    close: (graceMs) =>
      new Promise<void>((resolve) => {
        health.drain();
        const deadline = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        deadline.unref();
        server.tryShutdown(() => {
          clearTimeout(deadline);
          resolve();
        });
      }),
  };
}
