import { describe, expect, it } from 'vitest';
import { compareGoldenOutputs, defaultGoldenTolerance } from './golden-compare';
import { parseGoldenFile } from './golden-file';

const golden = (scores: number[][]) => parseGoldenFile({ rows: scores.map(() => [0]), expected: { scores } }, 'g.json');
const outputs = (data: number[], width: number) => ({ scores: { dtype: 'float32' as const, dims: [data.length / width, width], data: Float32Array.from(data) } });

describe('compareGoldenOutputs', () => {
  it('judges values near zero by the absolute floor, the rest relative to the expected value', () => {
    const { checks } = compareGoldenOutputs(golden([[0, 1000], [0, 1]]), outputs([5e-7, 1000.05, 2e-6, 1], 2), defaultGoldenTolerance);
    expect(checks).toEqual([
      {
        name: 'scores',
        kind: 'values',
        compared: 4,
        maxAbsError: expect.closeTo(0.05, 4),
        maxRelError: expect.closeTo(5e-5, 6),
        mismatches: [{ row: 1, column: 0, expected: 0, got: expect.closeTo(2e-6, 10) }],
        passed: false,
      },
    ]);
  });

  it('never counts NaN as close', () => {
    const { checks } = compareGoldenOutputs(golden([[1]]), outputs([NaN], 1), defaultGoldenTolerance);
    expect(checks[0]).toMatchObject({ maxAbsError: Infinity, mismatches: [{ row: 0, expected: 1, got: NaN }], passed: false });
  });

  it('names an expected row of another width than the output', () => {
    const { checks, problems } = compareGoldenOutputs(golden([[1, 2, 3]]), outputs([1, 2], 2), defaultGoldenTolerance);
    expect({ checks, problems }).toEqual({ checks: [], problems: ['expected.scores[0]: 3 values, the model\'s output "scores" has 2 per row'] });
  });
});
