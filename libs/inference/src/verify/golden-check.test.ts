// golden.json at load: a version whose rows fail is refused (every such version named at once), served with the
// failure in `verification` under 'warn', not replayed under 'off'.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelStoreLoadError } from '../errors';
import { type ModelRegistry, loadModels } from '../model-registry';
import { LocalModelStore } from '../store/model-store';
import { fixtureBytes, removeTempStores, tempStore, versionFiles } from '../testing/fixtures';
import type { GoldenCheck } from './golden-check-modes';

const registries: ModelRegistry[] = [];
afterEach(async () => {
  await Promise.all(registries.splice(0).map((r) => r.releaseAll()));
  removeTempStores();
});

/** A golden file edited so that one value of `output` is far from what the model returns. */
function wrongGolden(file: string, edit: (json: any) => void): Uint8Array { // eslint-disable-line @typescript-eslint/no-explicit-any
  const json = JSON.parse(new TextDecoder().decode(fixtureBytes(`golden/${file}.golden.json`)));
  edit(json);
  return new TextEncoder().encode(JSON.stringify(json));
}

const store = () =>
  tempStore({
    ...versionFiles('digits', 'digits/1', 'digits-torch', ['digits-torch.onnx.data']),
    ...versionFiles('wine', 'wine/1', wrongGolden('wine-xgb', (json) => (json.expected.probabilities[0][0] = 0.5))),
    ...versionFiles('iris', 'iris/1', wrongGolden('iris-gb-zipmap', (json) => json.rows[3].pop())),
  });

async function load(dir: string, goldenCheck?: GoldenCheck): Promise<ModelRegistry> {
  const registry = await loadModels(new LocalModelStore(dir), goldenCheck ? { goldenCheck } : {});
  registries.push(registry);
  return registry;
}

describe('the golden check at load', () => {
  it('refuses by default, naming every version whose rows fail or whose golden file is invalid, with the report', async () => {
    const dir = store();
    const error = await load(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelStoreLoadError);
    const { failures, message } = error as ModelStoreLoadError;
    expect(failures.map((f) => f.modelPath)).toEqual([join(dir, 'iris/1/model.onnx'), join(dir, 'wine/1/model.onnx')]);
    const lines = message.split('\n');
    expect(lines[0]).toBe('2 models of the store cannot be served:');
    expect(lines[1]).toBe(
      `- model iris:1 (${join(dir, 'iris/1/model.onnx')}): its golden file is refused: ${join(dir, 'iris/1/golden.json')}: rows[3]: 3 values, features has 4`,
    );
    expect(lines[2]).toBe(`- model wine:1 (${join(dir, 'wine/1/model.onnx')}): its golden rows fail:`);
    expect(lines[3]).toBe(
      `  wine:1: golden rows FAILED (30 rows of ${join(dir, 'wine/1/golden.json')}; tolerance 0.0001 relative, 0.000001 absolute, labels exact)`,
    );
    expect(lines.slice(4)).toEqual([
      '    label           ok  labels: 30 compared, all equal',
      expect.stringMatching(/^ {4}probabilities {3}FAIL {2}values: max abs error 4\.96e-1, max rel error 9\.93e-1; 1 of 90 beyond tolerance$/),
      expect.stringMatching(/^ {8}row 0\[0\]: expected 0\.5, got 0\.99626\d+$/),
      '    label (served)  ok  labels: 30 compared, all equal',
    ]);
  });

  it("with 'warn' serves them, the failure in verification; a passing version says what it was verified against", async () => {
    const dir = store();
    const registry = await load(dir, 'warn');
    expect(registry.names()).toEqual(['digits', 'iris', 'wine']);
    expect(registry.get('digits')!.verification).toEqual({
      status: 'passed',
      golden: join(dir, 'digits/1/golden.json'),
      rows: 30,
      tolerance: { relative: 1e-4, absolute: 1e-6 },
      checks: [
        { name: 'logits', kind: 'values', compared: 300, maxAbsError: expect.any(Number), maxRelError: expect.any(Number), mismatches: 0, passed: true },
        { name: 'argmax(logits)', kind: 'labels', compared: 30, maxAbsError: 0, maxRelError: 0, mismatches: 0, passed: true },
        { name: 'label (served)', kind: 'labels', compared: 30, maxAbsError: 0, maxRelError: 0, mismatches: 0, passed: true },
      ],
      failed: [],
      problems: [],
    });
    expect(registry.get('wine')!.verification).toMatchObject({ status: 'failed', failed: ['probabilities'], problems: [] });
    expect(registry.get('iris')!.verification).toMatchObject({
      status: 'failed',
      checks: [],
      failed: [],
      problems: [`${join(dir, 'iris/1/golden.json')}: rows[3]: 3 values, features has 4`],
    });
  });

  it("with 'off' does not replay the rows, and says so", async () => {
    const dir = store();
    const registry = await load(dir, 'off');
    expect(registry.get('wine')!.verification).toEqual({ status: 'not-checked', golden: join(dir, 'wine/1/golden.json') });
  });

  it('leaves a version without golden.json unverified', async () => {
    const registry = await load(tempStore({ 'iris/1/model.onnx': 'iris' }));
    expect(registry.get('iris')!.verification).toBeNull();
  });
});
