// onnxruntime-node's npm package ships the native binaries of every OS and CPU (about 290 MB); an image runs
// one. Keeps bin/napi-v*/linux/<arch> and removes every other platform's and architecture's folder.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

export type LinuxArch = 'x64' | 'arm64';

/** Removes the other binaries and returns what it removed (relative to the package folder). */
export async function pruneOnnxRuntime(packageDir: string, arch: LinuxArch): Promise<string[]> {
  const removed: string[] = [];
  const remove = async (relative: string) => {
    await rm(join(packageDir, relative), { recursive: true, force: true });
    removed.push(relative);
  };
  let kept = false;
  for (const napi of await readdir(join(packageDir, 'bin'))) {
    for (const platform of await readdir(join(packageDir, 'bin', napi))) {
      if (platform !== 'linux') {
        await remove(`bin/${napi}/${platform}`);
        continue;
      }
      for (const cpu of await readdir(join(packageDir, 'bin', napi, platform))) {
        if (cpu === arch) kept = true;
        else await remove(`bin/${napi}/${platform}/${cpu}`);
      }
    }
  }
  if (!kept) throw new Error(`${packageDir} has no linux/${arch} binary: this onnxruntime-node cannot run in the image`);
  return removed;
}

/** The one Linux architecture a pruned package (a staged image) holds binaries for. */
export async function stagedArch(packageDir: string): Promise<LinuxArch> {
  const found = new Set<string>();
  for (const napi of await readdir(join(packageDir, 'bin'))) {
    const linux = await readdir(join(packageDir, 'bin', napi, 'linux')).catch(() => []);
    for (const cpu of linux) found.add(cpu);
  }
  const [arch, ...others] = [...found];
  if ((arch === 'x64' || arch === 'arm64') && others.length === 0) return arch;
  throw new Error(`${packageDir} holds linux binaries for [${[...found].join(', ')}], not exactly one architecture: stage again`);
}
