// A model store of bare .onnx files (no spec.json) copied from the bundled models, served in raw mode.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalModelStore, loadModels, type ModelRegistry } from '@onnx-serve/inference';
import { bundledModelDir } from './test-server';

export interface BareModels {
  load(): Promise<ModelRegistry>;
  remove(): void;
}

/** `files` maps a bare file name (served as that name) to a bundled model folder, e.g. { 'tweets.onnx': 'disaster-tweets' }. */
export function bareModelStore(files: Record<string, string>): BareModels {
  const dir = mkdtempSync(join(tmpdir(), 'bare-models-'));
  for (const [file, bundled] of Object.entries(files)) copyFileSync(join(bundledModelDir, bundled, '1/model.onnx'), join(dir, file));
  return {
    load: () => loadModels(new LocalModelStore(dir), {}),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
