// Swagger UI's script and stylesheet from the swagger-ui-dist package: @hono/swagger-ui would load them from a
// CDN, which an offline or locked-down network cannot reach. Read once on first use, then kept in memory.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Handler } from 'hono';
import type { AppEnv } from '../../app-env';
import { RouteNotFoundError } from '../../errors';

// Only these files, by exact name: the path parameter never reaches the file system otherwise.
const assets = new Map([
  ['swagger-ui.css', 'text/css; charset=utf-8'],
  ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
]);

export function swaggerAssetRoute(): Handler<AppEnv> {
  const cache = new Map<string, Promise<Buffer>>();
  const read = (file: string) => {
    let bytes = cache.get(file);
    if (!bytes) {
      const folder = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
      bytes = readFile(join(folder, file));
      // A failed read is not kept: the next request tries again.
      bytes.catch(() => cache.delete(file));
      cache.set(file, bytes);
    }
    return bytes;
  };
  return async (c) => {
    const file = c.req.param('file') ?? '';
    const type = assets.get(file);
    if (!type) throw new RouteNotFoundError(c.req.method, c.req.path);
    const bytes = await read(file);
    return c.body(new Uint8Array(bytes), 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  };
}
