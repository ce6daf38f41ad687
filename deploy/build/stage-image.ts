// `nx run <service>:stage-<target>`: writes dist/services/<service>/<target>/, exactly the folder its Dockerfile
// COPYs. The app's bundle (built once by deploy:bundle-<target>), a package.json, the production install
// of what the bundle leaves out (no dev dependencies, no install scripts), onnxruntime-node pruned to the one
// Linux architecture of the image, and that service's models only.
// Usage: TARGET_ARCH=x64|arm64 tsx deploy/build/stage-image.ts <lambda|server> <service>   (default: this host's)
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type ImageTarget, installedBesideBundle, isMain, serviceFromArgs, stageDir, targetFromArgs, workspaceRoot } from './image-targets';
import { pruneOnnxRuntime, type LinuxArch } from './prune-onnxruntime';

const run = promisify(execFile);

export function targetArch(value = process.env['TARGET_ARCH'] ?? process.arch): LinuxArch {
  if (value === 'x64' || value === 'amd64') return 'x64';
  if (value === 'arm64' || value === 'aarch64') return 'arm64';
  throw new Error(`TARGET_ARCH=${value}: the images run on linux x64 (amd64) or arm64`);
}

export interface StageOptions {
  arch: LinuxArch;
  /** The model store the image serves: a service's `services/<service>/models`, or test fixtures. */
  modelDir: string;
  /** The folder to write (emptied first). */
  outDir: string;
}

export async function stageImage(target: ImageTarget, { arch, modelDir, outDir: dir }: StageOptions): Promise<{ dir: string; bytes: number }> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  // The bundle's entry file, its chunks and its assets.
  await cp(join(workspaceRoot, target.bundleDir), dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(await imagePackageJson(target), null, 2)}\n`);
  await npmInstall(dir);
  await pruneOnnxRuntime(join(dir, 'node_modules/onnxruntime-node'), arch);
  await cp(modelDir, join(dir, 'models'), { recursive: true });
  return { dir, bytes: await folderBytes(dir) };
}

/** The image's own package.json: ESM, `main` starts it, and the same exact versions the workspace tests. */
async function imagePackageJson(target: ImageTarget): Promise<Record<string, unknown>> {
  const root = JSON.parse(await readFile(join(workspaceRoot, 'package.json'), 'utf8')) as {
    version: string;
    dependencies: Record<string, string>;
  };
  const dependencies: Record<string, string> = {};
  for (const name of installedBesideBundle) {
    const version = root.dependencies[name];
    if (!version) throw new Error(`${name} is installed beside the bundle but is not in package.json dependencies`);
    dependencies[name] = version;
  }
  return {
    name: `onnx-serve-${target.name}`,
    version: root.version,
    private: true,
    type: 'module',
    main: target.file,
    engines: { node: '>=22' },
    dependencies,
  };
}

async function npmInstall(dir: string): Promise<void> {
  // npm_* variables of an outer `npm test` would point this install at the workspace; drop them.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
  // --ignore-scripts: onnxruntime-node's install script only fetches CUDA binaries, which these images never use.
  const flags = ['--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];
  await run('npm', ['install', ...flags], { cwd: dir, env });
}

export async function folderBytes(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const entry of await readdir(path)) total += await folderBytes(join(path, entry));
  return total;
}

if (isMain(import.meta.url)) {
  const usage = 'stage-image.ts <target> <service>';
  const target = targetFromArgs(process.argv, usage);
  const service = serviceFromArgs(process.argv, usage);
  const arch = targetArch();
  const modelDir = join(workspaceRoot, 'services', service, 'models');
  if (!existsSync(modelDir)) {
    console.error(`services/${service}/models does not exist: no such service, or it has no models yet`);
    process.exit(1);
  }
  const { dir, bytes } = await stageImage(target, { arch, modelDir, outDir: join(workspaceRoot, stageDir(service, target)) });
  console.log(`staged ${service}'s ${target.name} image for linux/${arch} in ${dir}: ${(bytes / 1024 / 1024).toFixed(1)} MiB`);
}
