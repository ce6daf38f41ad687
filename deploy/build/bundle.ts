// `nx run deploy:bundle-<target>`: one ESM file per entry with esbuild, for Node 22. Everything is inlined except
// the packages installed beside the bundle (onnxruntime-node is native: its .node binaries cannot be bundled).
// Usage: tsx deploy/build/bundle.ts <lambda|server>
import { cp, rm } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { type ImageTarget, installedBesideBundle, isMain, targetFromArgs, workspaceRoot } from './image-targets';

// Bundled CommonJS dependencies (pino, the AWS SDK) call require() for node built-ins; an ES module has none.
const requireBanner = "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);";

/**
 * The packages installed beside the bundle, loaded with require(): an ES module's `import` of a CommonJS package
 * makes node scan its source (and that of every package it re-exports: onnxruntime-node's onnxruntime-common) for
 * its export names before anything runs, a cost require() does not have. Each import of one gets
 * `module.exports` as node's import would give it (esbuild's interop).
 */
const requireBesideBundle: Plugin = {
  name: 'require-beside-bundle',
  setup(build) {
    const names = new RegExp(`^(${installedBesideBundle.join('|')})(/|$)`);
    build.onResolve({ filter: names }, (args) =>
      args.namespace === 'require-beside-bundle' ? { path: args.path, external: true } : { path: args.path, namespace: 'require-beside-bundle' },
    );
    build.onLoad({ filter: /.*/, namespace: 'require-beside-bundle' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

/**
 * Writes the bundle folder: `target.file` and the chunks it imports. Code splitting keeps what only a dynamic
 * import reaches (the AWS SDK: without MODEL_S3_URI, over half the code) in chunks node never reads.
 */
export async function bundle(target: ImageTarget): Promise<string> {
  const outdir = join(workspaceRoot, target.bundleDir);
  await rm(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: workspaceRoot,
    entryPoints: { [basename(target.file, extname(target.file))]: target.entry },
    outdir,
    outExtension: { '.js': extname(target.file) },
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    tsconfig: 'tsconfig.base.json',
    external: [...installedBesideBundle],
    plugins: [requireBesideBundle],
    banner: { js: requireBanner },
    legalComments: 'none',
    logLevel: 'warning',
  });
  // Files the bundle reads at run time (the gRPC .proto files), beside its entry.
  for (const [name, source] of Object.entries(target.assets)) {
    await cp(join(workspaceRoot, source), join(outdir, name), { recursive: true });
  }
  return join(outdir, target.file);
}

if (isMain(import.meta.url)) {
  const target = targetFromArgs(process.argv, 'bundle.ts <target>');
  console.log(`bundled ${target.entry} → ${await bundle(target)}`);
}
