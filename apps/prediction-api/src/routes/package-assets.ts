// Browser files served from an npm package's folder (Swagger UI's script and stylesheet, Papa Parse for the model
// pages): the pages load nothing from a CDN, so they work offline and on a locked-down network. Each file is read
// once on first use, then kept in memory. The package is installed beside the bundle in the images.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Handler } from 'hono';
import type { AppEnv } from '../app-env';
import { RouteNotFoundError } from '../errors';

/**
 * Serves `:file` from `packageName`'s folder, only for the names in `files` (file → content type): the path
 * parameter never reaches the file system otherwise.
 */
export function packageAssetRoute(packageName: string, files: ReadonlyMap<string, string>): Handler<AppEnv> {
  const cache = new Map<string, Promise<Buffer>>();
  const read = (file: string) => {
    let bytes = cache.get(file);
    if (!bytes) {
      const folder = dirname(createRequire(import.meta.url).resolve(`${packageName}/package.json`));
      bytes = readFile(join(folder, file));
      // A failed read is not kept: the next request tries again.
      bytes.catch(() => cache.delete(file));
      cache.set(file, bytes);
    }
    return bytes;
  };
  return async (c) => {
    const file = c.req.param('file') ?? '';
    const type = files.get(file);
    if (!type) throw new RouteNotFoundError(c.req.method, c.req.path);
    const bytes = await read(file);
    return c.body(new Uint8Array(bytes), 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  };
}
