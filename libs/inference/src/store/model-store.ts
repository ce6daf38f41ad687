// Where models come from. The local store reads the folder layout of docs/architecture.md:
//   <dir>/<name>/<version>/model.onnx (+ spec.json, golden.json, external data)   and   <dir>/<name>.onnx (version "1", no spec).
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { compareVersions } from './versions';

export interface ModelRef {
  name: string;
  version: string;
  modelPath: string;
  specPath?: string;
  /** golden.json beside model.onnx: rows the version is verified against at load. */
  goldenPath?: string;
}

/** What a store found, and the entries it passed over with why (the server logs them). */
export interface StoreScan {
  refs: ModelRef[];
  warnings: string[];
}

export interface ModelStore {
  scan(): Promise<StoreScan>;
}

export class ModelStoreError extends Error {
  override name = 'ModelStoreError';
}

/** Model names and versions become URL path segments: keep them to safe characters, never '.' or '..'. */
export const urlSafeSegment = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class LocalModelStore implements ModelStore {
  constructor(readonly dir: string) {}

  async scan(): Promise<StoreScan> {
    const refs: ModelRef[] = [];
    const warnings: string[] = [];
    const entries = await readDirOrThrow(this.dir, `model store ${this.dir}`);
    const folderNames = new Set<string>();
    const bareFiles: ModelRef[] = [];
    for (const entry of entries.filter((e) => !e.name.startsWith('.'))) {
      const path = join(this.dir, entry.name);
      const kind = await entryKind(entry, path);
      if (kind === 'dir') {
        if (!isUrlSafe(entry.name, path, 'model name', warnings)) continue;
        folderNames.add(entry.name);
        refs.push(...(await this.versionsOf(entry.name, path, warnings)));
      } else if (kind === 'file' && entry.name.endsWith('.onnx')) {
        const name = entry.name.slice(0, -'.onnx'.length);
        if (isUrlSafe(name, path, 'model name', warnings)) bareFiles.push({ name, version: '1', modelPath: path });
      }
    }
    for (const ref of bareFiles) {
      if (folderNames.has(ref.name)) warnings.push(`${ref.modelPath}: skipped, the folder ${ref.name}/ serves that name`);
      else refs.push(ref);
    }
    refs.sort((a, b) => a.name.localeCompare(b.name) || compareVersions(a.version, b.version));
    return { refs, warnings };
  }

  private async versionsOf(name: string, dir: string, warnings: string[]): Promise<ModelRef[]> {
    const refs: ModelRef[] = [];
    for (const entry of await readDirOrThrow(dir, `model folder ${dir}`)) {
      const path = join(dir, entry.name);
      if (entry.name.startsWith('.') || (await entryKind(entry, path)) !== 'dir') continue;
      if (!isUrlSafe(entry.name, path, 'version', warnings)) continue;
      if (entry.name === 'latest') {
        warnings.push(`${path}: skipped, "latest" is reserved for the highest version`);
        continue;
      }
      const files = new Set((await readDirOrThrow(path, `version folder ${path}`)).map((e) => e.name));
      if (!files.has('model.onnx')) {
        warnings.push(`${path}: skipped, no model.onnx in it`);
        continue;
      }
      const ref: ModelRef = { name, version: entry.name, modelPath: join(path, 'model.onnx') };
      if (files.has('spec.json')) ref.specPath = join(path, 'spec.json');
      if (files.has('golden.json')) ref.goldenPath = join(path, 'golden.json');
      refs.push(ref);
    }
    return refs;
  }
}

function isUrlSafe(segment: string, path: string, what: string, warnings: string[]): boolean {
  if (urlSafeSegment.test(segment)) return true;
  warnings.push(`${path}: skipped, ${what} ${JSON.stringify(segment)} is not URL-safe (letters, digits, . _ -)`);
  return false;
}

async function readDirOrThrow(dir: string, what: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new ModelStoreError(`${what} cannot be read: ${(error as Error).message}`, { cause: error });
  }
}

/** Follows symlinks: model folders are often links into a shared volume. */
async function entryKind(entry: Dirent, path: string): Promise<'dir' | 'file' | 'other'> {
  if (entry.isSymbolicLink()) {
    const target = await stat(path).catch(() => undefined);
    return target?.isDirectory() ? 'dir' : target?.isFile() ? 'file' : 'other';
  }
  return entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : 'other';
}
