// The node HTTP server over the app, with a shutdown that stops accepting, lets in-flight requests finish
// and then resolves (or gives up after a deadline).
import type { AddressInfo } from 'node:net';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AppEnv } from './app-env';

export interface RunningServer {
  port: number;
  /** Stop accepting connections and wait for in-flight requests, at most timeoutMs. */
  close(timeoutMs?: number): Promise<void>;
}

export interface ServerOptions {
  port: number;
  host: string;
  /** Answers a request before the app sees it (the in-flight bound's refusal) and returns true, or returns false. */
  answerEarly?: ((req: IncomingMessage, res: ServerResponse) => boolean) | undefined;
}

export function startServer(app: Hono<AppEnv>, options: ServerOptions): Promise<RunningServer> {
  const { answerEarly } = options;
  const listener = getRequestListener(app.fetch, { hostname: options.host });
  const server = createServer(answerEarly ? (req, res) => answerEarly(req, res) || listener(req, res) : listener);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      const { port } = server.address() as AddressInfo;
      resolve({ port, close: (timeoutMs = 10_000) => closeGracefully(server, timeoutMs) });
    });
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
