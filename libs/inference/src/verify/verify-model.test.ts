// The golden rows of the fixture models replayed through the server's own predict path, and what the report
// says when the served model, its spec or its rows disagree with what Python returned.
import { formatGoldenReport, parseGoldenFile, type GoldenFile } from '@onnx-serve/feature-spec';
import { afterAll, describe, expect, it } from 'vitest';
import { type LoadedModel, loadModel } from '../load-model';
import { fixtureBytes, modelsDir } from '../testing/fixtures';
import { goldenTolerance, verifyModel } from './verify-model';

const models = new Map<string, LoadedModel>();
afterAll(async () => {
  await Promise.all([...models.values()].map((m) => m.release()));
});

async function model(name: string, withSpec = true): Promise<LoadedModel> {
  const key = `${name}:${withSpec}`;
  const dir = `${modelsDir}/${name}/1`;
  if (!models.has(key)) {
    models.set(key, await loadModel({ name, version: '1', modelPath: `${dir}/model.onnx`, ...(withSpec && { specPath: `${dir}/spec.json` }) }));
  }
  return models.get(key)!;
}

function goldenJson(file: string): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(fixtureBytes(`golden/${file}.golden.json`))) as Record<string, unknown>;
}

function golden(file: string, edit: (json: any) => void = () => undefined): GoldenFile { // eslint-disable-line @typescript-eslint/no-explicit-any
  const json = goldenJson(file);
  edit(json);
  return parseGoldenFile(json, `${file}.golden.json`);
}

const outline = (report: Awaited<ReturnType<typeof verifyModel>>) =>
  report.checks.map((c) => ({ name: c.name, kind: c.kind, compared: c.compared, mismatches: c.mismatches, passed: c.passed }));

describe('verifyModel', () => {
  it.each([
    ['diabetes', 12, 'diabetes-rf', [['variable', 'values', 12]]],
    ['iris', 15, 'iris-gb-zipmap', [['output_label', 'labels', 15], ['output_probability', 'values', 45], ['label (served)', 'labels', 15]]],
    ['sentiment', 5, 'sentiment-svc', [['label', 'labels', 5], ['probabilities', 'values', 5], ['label (served)', 'labels', 5]]],
    ['disaster-tweets', 4, 'tweets-logreg', [['label', 'labels', 4], ['probabilities', 'values', 8], ['label (served)', 'labels', 4]]],
    ['digits', 30, 'digits-torch', [['logits', 'values', 300], ['argmax(logits)', 'labels', 30], ['label (served)', 'labels', 30]]],
    ['wine', 30, 'wine-xgb', [['label', 'labels', 30], ['probabilities', 'values', 90], ['label (served)', 'labels', 30]]],
  ] as const)('%s: every golden row matches what Python returned', async (name, rows, file, checks) => {
    const report = await verifyModel(await model(name), golden(file));
    expect(outline(report)).toEqual(checks.map(([check, kind, compared]) => ({ name: check, kind, compared, mismatches: [], passed: true })));
    expect({ passed: report.passed, problems: report.problems, rows: report.rows, tolerance: report.tolerance }).toEqual({
      passed: true,
      problems: [],
      rows,
      tolerance: { relative: 1e-4, absolute: 1e-6 },
    });
    for (const check of report.checks) expect(check.maxAbsError).toBeLessThan(1e-4);
  });

  it('lists every value beyond the tolerance and every label that differs, with row, expected and got', async () => {
    const wine = await model('wine');
    const report = await verifyModel(
      wine,
      golden('wine-xgb', (json) => {
        json.expected.probabilities[3][1] += 0.01;
        json.expected.label[5] = (json.expected.label[5] + 1) % 3;
      }),
    );
    const original = goldenJson('wine-xgb') as { expected: { label: number[]; probabilities: number[][] } };
    const [label, probabilities, served] = report.checks;
    expect(report.passed).toBe(false);
    expect(label!.mismatches).toEqual([{ row: 5, expected: (original.expected.label[5]! + 1) % 3, got: original.expected.label[5] }]);
    expect(probabilities!.mismatches).toEqual([{ row: 3, column: 1, expected: original.expected.probabilities[3]![1]! + 0.01, got: expect.closeTo(original.expected.probabilities[3]![1]!, 5) }]);
    expect(probabilities!.maxAbsError).toBeCloseTo(0.01, 5);
    // The label the API answers for row 5 is the model's, not the edited one.
    expect(served!.mismatches).toEqual([{ row: 5, expected: `class_${(original.expected.label[5]! + 1) % 3}`, got: `class_${original.expected.label[5]}` }]);
    const text = formatGoldenReport('wine:1', report).split('\n');
    expect(text[0]).toBe('wine:1: golden rows FAILED (30 rows of wine-xgb.golden.json; tolerance 0.0001 relative, 0.000001 absolute, labels exact)');
    expect(text[1]).toBe('  label           FAIL  labels: 30 compared, 1 differ');
    expect(text[2]).toBe(`      row 5: expected ${(original.expected.label[5]! + 1) % 3} ("class_${(original.expected.label[5]! + 1) % 3}"), got ${original.expected.label[5]} ("class_${original.expected.label[5]}")`);
    expect(text[3]).toMatch(/^ {2}probabilities {3}FAIL {2}values: max abs error 1\.00e-2, max rel error 7\.\d\de-1; 1 of 90 beyond tolerance$/);
  });

  it('takes the tolerance from the options, then the spec, then the defaults', async () => {
    const digits = await model('digits');
    const strict = await verifyModel(digits, golden('digits-torch'), { tolerance: { relative: 1e-9, absolute: 1e-9 } });
    expect(strict.passed).toBe(false);
    expect(strict.checks.map((c) => [c.name, c.passed])).toEqual([['logits', false], ['argmax(logits)', true], ['label (served)', true]]);
    expect(strict.checks[0]!.mismatches.length).toBe(210);
    const spec = digits.spec!;
    expect(goldenTolerance({ ...spec, verify: { relativeTolerance: 1e-3 } })).toEqual({ relative: 1e-3, absolute: 1e-6 });
    expect(goldenTolerance({ ...spec, verify: { relativeTolerance: 1e-3 } }, { relative: 0.5 })).toEqual({ relative: 0.5, absolute: 1e-6 });
    expect(goldenTolerance(null)).toEqual({ relative: 1e-4, absolute: 1e-6 });
  });

  it('reports the rows that the request validation refuses, by row and field', async () => {
    const report = await verifyModel(await model('digits'), golden('digits-torch', (json) => (json.rows[2][0] = 'dark')));
    expect(report).toMatchObject({ passed: false, checks: [] });
    expect(report.problems).toEqual(['rows[2].pixel_0_0: must be a number ≥ 0 and ≤ 16, got "dark"']);
  });

  it('compares a raw-mode model (no spec) on its raw outputs', async () => {
    const report = await verifyModel(await model('wine', false), golden('wine-xgb'));
    expect(outline(report).map((c) => [c.name, c.passed])).toEqual([['label', true], ['probabilities', true]]);
    expect(report.passed).toBe(true);
  });

  it('names an expected output that the model does not have', async () => {
    const report = await verifyModel(await model('wine'), golden('wine-xgb', (json) => (json.expected.probability = json.expected.probabilities)));
    expect(report.passed).toBe(false);
    expect(report.problems).toEqual(['expected.probability: the model has no output "probability" (it has: label, probabilities)']);
  });

  it('says when the spec names the golden labels in another order', async () => {
    const iris = await model('iris');
    const swapped = { ...iris, spec: { ...iris.spec!, outputs: { ...iris.spec!.outputs, classes: ['versicolor', 'setosa', 'virginica'] } } } as LoadedModel;
    const report = await verifyModel(swapped, golden('iris-gb-zipmap'));
    expect(report.passed).toBe(false);
    expect(report.problems).toEqual([
      "the spec's classes (versicolor, setosa, virginica) are the golden labels in another order (setosa, versicolor, virginica): label k must be classes[k]",
    ]);
  });
});
