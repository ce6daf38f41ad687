// A reverse proxy that serves the app under a path prefix (as an API gateway stage or a shared host would): the
// pages must then reach everything through relative URLs. Requests outside the prefix get 404 from the proxy itself;
// with `maxBodyBytes`, a larger body gets the 413 a gateway gives (its own body, not the app's error envelope); with
// `throttlePosts`, that many POSTs first get the 429 of a throttling gateway, with Retry-After: 1.
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PrefixProxy {
  url: string;
  close(): Promise<void>;
}

export async function startPrefixProxy(target: string, prefix: string, options: { maxBodyBytes?: number; throttlePosts?: number } = {}): Promise<PrefixProxy> {
  const upstream = new URL(target);
  let throttled = 0;
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (!path.startsWith(`${prefix}/`)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`outside ${prefix}: ${path}`);
      return;
    }
    if (options.maxBodyBytes !== undefined && Number(req.headers['content-length'] ?? 0) > options.maxBodyBytes) {
      res.writeHead(413, { 'content-type': 'application/json' }).end('{"message":"Request Too Long"}');
      return;
    }
    if (req.method === 'POST' && throttled < (options.throttlePosts ?? 0)) {
      throttled++;
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' }).end('{"message":"Too Many Requests"}');
      return;
    }
    const forwarded = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: path.slice(prefix.length), headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', (err) => res.writeHead(502).end(String(err)));
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
