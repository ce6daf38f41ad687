// `nx run prediction-api:bundle-<target>`: one ESM file per entry with esbuild, for Node 22. Everything is inlined except
// the packages installed beside the bundle (onnxruntime-node is native: its .node binaries cannot be bundled).
// Usage: tsx apps/prediction-api/build/bundle.ts <lambda|server>
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { type ImageTarget, installedBesideBundle, isMain, targetFromArgs, workspaceRoot } from './image-targets';

// Bundled CommonJS dependencies (pino, the AWS SDK) call require() for node built-ins; an ES module has none.
const requireBanner = "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);";

export async function bundle(target: ImageTarget): Promise<string> {
  const outfile = join(workspaceRoot, target.bundleDir, target.file);
  await rm(join(workspaceRoot, target.bundleDir), { recursive: true, force: true });
  await build({
    absWorkingDir: workspaceRoot,
    entryPoints: [target.entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    tsconfig: 'tsconfig.base.json',
    external: [...installedBesideBundle],
    banner: { js: requireBanner },
    legalComments: 'none',
    logLevel: 'warning',
  });
  for (const [name, source] of Object.entries(target.assets)) {
    await cp(join(workspaceRoot, source), join(workspaceRoot, target.bundleDir, name), { recursive: true });
  }
  return outfile;
}

if (isMain(import.meta.url)) {
  const target = targetFromArgs(process.argv, 'bundle.ts <target>');
  console.log(`bundled ${target.entry} → ${await bundle(target)}`);
}
