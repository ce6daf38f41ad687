import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelLoadError, ModelStoreLoadError } from './errors';
import { type ModelRegistry, loadModels } from './model-registry';
import { LocalModelStore } from './store/model-store';
import { modelsDir, removeTempStores, tempStore } from './testing/fixtures';

const registries: ModelRegistry[] = [];
afterEach(async () => {
  await Promise.all(registries.splice(0).map((r) => r.releaseAll()));
  removeTempStores();
});

async function load(dir: string, options?: Parameters<typeof loadModels>[1]): Promise<ModelRegistry> {
  const registry = await loadModels(new LocalModelStore(dir), options);
  registries.push(registry);
  return registry;
}

describe('loadModels', () => {
  it('loads the bundled store: every model with its spec checked against the real signature', async () => {
    const registry = await load(modelsDir);
    expect(registry.names()).toEqual(['cars-lgbm', 'diabetes', 'digits', 'disaster-tweets', 'iris', 'loans-mixed', 'sentiment', 'wine']);
    expect(registry.names().every((name) => registry.get(name)?.spec !== null)).toBe(true);
    expect(registry.warnings).toEqual([]);
  });

  it('resolves no version and "latest" to the highest version, numeric-aware', async () => {
    const dir = tempStore({ 'iris/2/model.onnx': 'iris', 'iris/10/model.onnx': 'iris', 'diabetes.onnx': 'diabetes' });
    const registry = await load(dir);
    expect(registry.list()).toEqual([
      { name: 'diabetes', versions: ['1'], latest: '1' },
      { name: 'iris', versions: ['2', '10'], latest: '10' },
    ]);
    expect(registry.get('iris')?.version).toBe('10');
    expect(registry.get('iris', 'latest')?.version).toBe('10');
    expect(registry.get('iris', '2')?.version).toBe('2');
    expect(registry.get('iris', '3')).toBeUndefined();
    expect(registry.get('churn')).toBeUndefined();
  });

  it('passes on the warnings of the store scan', async () => {
    const dir = tempStore({ 'iris/1/model.onnx': 'iris', 'bad name.onnx': 'iris' });
    const registry = await load(dir);
    expect(registry.names()).toEqual(['iris']);
    expect(registry.warnings).toEqual([`${join(dir, 'bad name.onnx')}: skipped, model name "bad name" is not URL-safe (letters, digits, . _ -)`]);
  });

  it('fails with a ModelStoreLoadError naming every model file that cannot load, not only the first', async () => {
    const dir = tempStore({ 'iris/1/model.onnx': 'iris', 'broken/1/model.onnx': 'not a model at all', 'empty/1/model.onnx': '' });
    const error = await loadModels(new LocalModelStore(dir)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelStoreLoadError);
    expect(error).toBeInstanceOf(ModelLoadError);
    const lines = (error as Error).message.split('\n');
    expect(lines[0]).toBe('2 models of the store cannot be served:');
    expect(lines.slice(1).map((line) => line.split('): ')[0])).toEqual([
      `- model broken:1 (${join(dir, 'broken/1/model.onnx')}`,
      `- model empty:1 (${join(dir, 'empty/1/model.onnx')}`,
    ]);
    expect((error as ModelStoreLoadError).failures.map((f) => f.modelPath)).toEqual([join(dir, 'broken/1/model.onnx'), join(dir, 'empty/1/model.onnx')]);
  });

  it('refuses a store that lists one version twice, before loading anything', async () => {
    const ref = { name: 'iris', version: '1', modelPath: '/nowhere/iris.onnx' };
    await expect(loadModels({ scan: async () => ({ refs: [ref, ref], warnings: [] }) })).rejects.toThrow(
      'model iris:1 is listed twice by the store (/nowhere/iris.onnx)',
    );
  });
});
