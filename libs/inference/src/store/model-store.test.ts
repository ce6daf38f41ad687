import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { modelsDir, removeTempStores, tempStore } from '../testing/fixtures';
import { LocalModelStore, ModelStoreError } from './model-store';

afterEach(removeTempStores);

/** A temp store holding the given files, empty (their content does not matter to the listing). */
function storeWith(files: string[]): string {
  return tempStore(Object.fromEntries(files.map((file) => [file, ''])));
}

describe('LocalModelStore', () => {
  it('lists <name>/<version>/model.onnx with its spec.json, versions sorted numeric-aware', async () => {
    const dir = storeWith(['iris/10/model.onnx', 'iris/2/model.onnx', 'iris/2/spec.json', 'diabetes/1/model.onnx']);
    expect(await new LocalModelStore(dir).scan()).toEqual({
      refs: [
        { name: 'diabetes', version: '1', modelPath: join(dir, 'diabetes/1/model.onnx') },
        { name: 'iris', version: '2', modelPath: join(dir, 'iris/2/model.onnx'), specPath: join(dir, 'iris/2/spec.json') },
        { name: 'iris', version: '10', modelPath: join(dir, 'iris/10/model.onnx') },
      ],
      warnings: [],
    });
  });

  it('serves a bare <name>.onnx as version "1" without a spec, and ignores other files', async () => {
    const dir = storeWith(['churn.onnx', 'README.md', '.DS_Store', 'iris/1/notes.txt', 'iris/1/model.onnx']);
    expect(await new LocalModelStore(dir).scan()).toEqual({
      refs: [
        { name: 'churn', version: '1', modelPath: join(dir, 'churn.onnx') },
        { name: 'iris', version: '1', modelPath: join(dir, 'iris/1/model.onnx') },
      ],
      warnings: [],
    });
  });

  it('skips names and versions that are not URL-safe, with a warning for each', async () => {
    const dir = storeWith(['my model/1/model.onnx', 'iris/v 2/model.onnx', 'iris/1/model.onnx', 'ünï.onnx', '-x.onnx']);
    const { refs, warnings } = await new LocalModelStore(dir).scan();
    expect(refs.map((r) => `${r.name}:${r.version}`)).toEqual(['iris:1']);
    expect(warnings.sort()).toEqual([
      `${join(dir, '-x.onnx')}: skipped, model name "-x" is not URL-safe (letters, digits, . _ -)`,
      `${join(dir, 'iris/v 2')}: skipped, version "v 2" is not URL-safe (letters, digits, . _ -)`,
      `${join(dir, 'my model')}: skipped, model name "my model" is not URL-safe (letters, digits, . _ -)`,
      `${join(dir, 'ünï.onnx')}: skipped, model name "ünï" is not URL-safe (letters, digits, . _ -)`,
    ]);
  });

  it('skips a version folder without model.onnx, a "latest" folder, and a bare file shadowed by a folder', async () => {
    const dir = storeWith(['iris/1/model.onnx', 'iris/2/spec.json', 'iris/latest/model.onnx', 'iris.onnx']);
    const { refs, warnings } = await new LocalModelStore(dir).scan();
    expect(refs.map((r) => `${r.name}:${r.version}`)).toEqual(['iris:1']);
    expect(warnings.sort()).toEqual([
      `${join(dir, 'iris.onnx')}: skipped, the folder iris/ serves that name`,
      `${join(dir, 'iris/2')}: skipped, no model.onnx in it`,
      `${join(dir, 'iris/latest')}: skipped, "latest" is reserved for the highest version`,
    ]);
  });

  it('fails with a ModelStoreError naming a missing directory', async () => {
    const missing = join(tmpdir(), 'no-such-model-store');
    await expect(new LocalModelStore(missing).scan()).rejects.toThrow(ModelStoreError);
    await expect(new LocalModelStore(missing).scan()).rejects.toThrow(`model store ${missing} cannot be read: ENOENT`);
  });

  it('lists the bundled fixture models', async () => {
    const { refs } = await new LocalModelStore(modelsDir).scan();
    expect(refs.map((r) => `${r.name}:${r.version}`)).toEqual([
      'cars-lgbm:1',
      'diabetes:1',
      'digits:1',
      'disaster-tweets:1',
      'iris:1',
      'loans-mixed:1',
      'sentiment:1',
      'wine:1',
    ]);
  });
});
