// What a model's score rows say about their kind: the drafter decides scoreKind from the golden rows with it, and
// a verify step can refuse a spec that serves as `probabilities` what the golden rows show is not a probability.

export type ScoreKindEvidence = 'probabilities' | 'decision' | 'unknown';

/** How far a row's sum may stray from 1 and still be a distribution (float32 rounding over many classes). */
export const probabilitySumTolerance = 1e-4;

/**
 * 'decision' when any score lies outside [0, 1] (or is not a number); 'probabilities' when every row lies within
 * [0, 1] and sums to 1 (a one-column row, the positive class's probability, need only lie within [0, 1]);
 * 'unknown' when there are no scores, or rows within [0, 1] that do not sum to 1.
 */
export function scoreKindEvidence(rows: readonly (readonly number[])[]): ScoreKindEvidence {
  if (rows.every((row) => row.length === 0)) return 'unknown';
  if (rows.some((row) => row.some((score) => !(score >= 0 && score <= 1)))) return 'decision';
  const distributions = rows.every(
    (row) => row.length === 1 || Math.abs(row.reduce((sum, score) => sum + score, 0) - 1) <= probabilitySumTolerance,
  );
  return distributions ? 'probabilities' : 'unknown';
}
