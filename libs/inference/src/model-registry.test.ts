import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelLoadError } from './errors';
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
    expect(registry.names()).toEqual(['cars-lgbm', 'diabetes', 'disaster-tweets', 'iris', 'loans-mixed', 'sentiment']);
    expect(registry.names().map((name) => registry.get(name)?.spec !== null)).toEqual([true, true, true, true, true, true]);
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
    const registry = await load(tempStore({ 'iris/1/model.onnx': 'iris', 'bad name.onnx': 'iris' }));
    expect(registry.names()).toEqual(['iris']);
    expect(registry.warnings).toHaveLength(1);
    expect(registry.warnings[0]).toContain('model name "bad name" is not URL-safe');
  });

  it('fails fast with a ModelLoadError naming the model file that cannot load', async () => {
    const dir = tempStore({ 'iris/1/model.onnx': 'iris', 'broken/1/model.onnx': 'not a model at all' });
    const loading = loadModels(new LocalModelStore(dir));
    await expect(loading).rejects.toThrow(ModelLoadError);
    await expect(loading).rejects.toThrow(`model broken:1 (${join(dir, 'broken/1/model.onnx')}): `);
  });

  it('refuses a store that lists one version twice, before loading anything', async () => {
    const ref = { name: 'iris', version: '1', modelPath: '/nowhere/iris.onnx' };
    await expect(loadModels({ list: async () => [ref, ref] })).rejects.toThrow(
      'model iris:1 is listed twice by the store (/nowhere/iris.onnx)',
    );
  });

  it("in 'skip' mode loads the rest and reports each failure with its file", async () => {
    const dir = tempStore({ 'iris/1/model.onnx': 'iris', 'broken/1/model.onnx': 'not a model at all' });
    const registry = await load(dir, { onLoadError: 'skip' });
    expect(registry.names()).toEqual(['iris']);
    expect(registry.failures.map((f) => [f.ref.name, f.error instanceof ModelLoadError, f.error.message.split(': ')[0]])).toEqual([
      ['broken', true, `model broken:1 (${join(dir, 'broken/1/model.onnx')})`],
    ]);
  });
});
