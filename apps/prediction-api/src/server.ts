// The node HTTP server over the app, with a shutdown that stops accepting, lets in-flight requests finish
// and then resolves (or gives up after a deadline).
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AppEnv } from './app-env';

export interface RunningServer {
  port: number;
  /** Stop accepting connections and wait for in-flight requests, at most timeoutMs. */
  close(timeoutMs?: number): Promise<void>;
}

export function startServer(app: Hono<AppEnv>, options: { port: number; host: string }): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, (info: AddressInfo) => {
      resolve({ port: info.port, close: (timeoutMs = 10_000) => closeGracefully(server as Server, timeoutMs) });
    }) as Server;
    server.once('error', reject);
  });
}

function closeGracefully(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const deadline = setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, timeoutMs);
    deadline.unref();
    server.close(() => {
      clearTimeout(deadline);
      resolve();
    });
    // Keep-alive sockets with no request in flight would hold close() open until they time out.
    server.closeIdleConnections();
  });
}
