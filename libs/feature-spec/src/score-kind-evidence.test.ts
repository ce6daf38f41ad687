import { describe, expect, it } from 'vitest';
import { loadGolden } from '../test/example-models';
import { scoreKindEvidence } from './score-kind-evidence';

describe('scoreKindEvidence', () => {
  it('reads the bundled golden scores as Python returned them: predict_proba as probabilities, an SVM\'s as decision', () => {
    const scores = (stem: string, output: string) => loadGolden(stem).expected[output] as number[][];
    expect(scoreKindEvidence(scores('iris-gb-zipmap', 'output_probability'))).toBe('probabilities');
    expect(scoreKindEvidence(scores('tweets-logreg', 'probabilities'))).toBe('probabilities');
    expect(scoreKindEvidence(scores('sentiment-svc', 'probabilities'))).toBe('decision');
  });

  it('says decision for any score outside [0, 1], or not a number', () => {
    expect(scoreKindEvidence([[0.2, 0.8], [1.2, -0.2]])).toBe('decision');
    expect(scoreKindEvidence([[0.5, Number.NaN]])).toBe('decision');
    expect(scoreKindEvidence([[-0.0001]])).toBe('decision');
  });

  it('says probabilities for rows that sum to 1 within 1e-4, and for one column within [0, 1]', () => {
    expect(scoreKindEvidence([[0.50009, 0.5], [0, 1]])).toBe('probabilities');
    expect(scoreKindEvidence([[0.7], [0], [1]])).toBe('probabilities');
  });

  it('says unknown for rows within [0, 1] that do not sum to 1, and for no scores at all', () => {
    expect(scoreKindEvidence([[0.5002, 0.5]])).toBe('unknown');
    expect(scoreKindEvidence([[0.9, 0.8, 0.1]])).toBe('unknown');
    expect(scoreKindEvidence([])).toBe('unknown');
    expect(scoreKindEvidence([[]])).toBe('unknown');
  });
});
