// Model outputs → one plain-JSON prediction per instance, in the spec's terms (class names, not indices).
import { arrayOf } from './array-of';
import { renderMessage } from './class-messages';
import type { ModelSpec, OutputMapping } from './model-spec';
import { numberAt, outputRows } from './output-tensors';
import type { TensorMap } from './tensors';

type Classification = Extract<OutputMapping, { kind: 'classification' }>;

export interface RegressionPrediction {
  value: number;
}

/** How a spec's threshold decided a binary label. */
export interface ThresholdDecision {
  /** The spec's threshold, which the positive class's (classes[1]) score reached or not. */
  value: number;
  /** The label the model gave by itself: its label output, or else its highest score. */
  modelLabel: string;
  /** Whether the threshold changed that label. */
  changed: boolean;
}

export interface ClassPrediction {
  label: string;
  /** Per class, for scoreKind 'probabilities'. */
  probabilities?: Record<string, number>;
  /** Per class, for scoreKind 'decision'; a width-1 decision function gives only the positive class's score. */
  scores?: Record<string, number>;
  /** Set when the spec has a threshold: it, not the model's own label, decided `label`. */
  threshold?: ThresholdDecision;
  /** The spec's message for the label's class, filled in ("99.0% chance of spam"). */
  message?: string;
}

export type Prediction = RegressionPrediction | ClassPrediction;

export function readPredictions(spec: ModelSpec, outputs: TensorMap, count: number): Prediction[] {
  const mapping = spec.outputs;
  if (mapping.kind === 'classification') return readClasses(mapping, outputs, count);
  const { tensor, width } = outputRows(outputs, mapping.output, count);
  if (width !== 1) throw new Error(`regression output "${mapping.output}" holds ${width} values per row, not 1`);
  return arrayOf(count, (i) => ({ value: numberAt(tensor.data, i) }));
}

interface ScoreRow {
  byClass: Record<string, number>;
  /** The score of classes[1], which a threshold is compared with. */
  positive: number;
}

function readClasses(mapping: Classification, outputs: TensorMap, count: number): ClassPrediction[] {
  const { scoresOutput, threshold, messages } = mapping;
  const scores = scoresOutput === undefined ? undefined : readScores(mapping, scoresOutput, outputs, count);
  // The schema guarantees two classes at least; with a threshold, parseModelSpec guarantees exactly two and scores.
  const [negative, positive] = mapping.classes as [string, string];
  let modelLabels: string[];
  if (mapping.labelOutput !== undefined) modelLabels = readLabels(mapping, mapping.labelOutput, outputs, count);
  else if (scores) modelLabels = scores.map((row) => highestScoring(row, mapping.scoreKind, negative, positive));
  else throw new Error('a classifier needs labelOutput or scoresOutput'); // parseModelSpec refuses such a spec
  const key = mapping.scoreKind === 'decision' ? 'scores' : 'probabilities';
  return modelLabels.map((modelLabel, i) => {
    const row = scores?.[i];
    let prediction: ClassPrediction;
    if (threshold !== undefined && row) {
      const label = row.positive >= threshold ? positive : negative;
      prediction = { label, [key]: row.byClass, threshold: { value: threshold, modelLabel, changed: label !== modelLabel } };
    } else {
      prediction = row ? { label: modelLabel, [key]: row.byClass } : { label: modelLabel };
    }
    // Own keys only: a class named "constructor" must not find Object's.
    const template = messages && Object.hasOwn(messages, prediction.label) ? messages[prediction.label] : undefined;
    if (template !== undefined) {
      prediction.message = renderMessage(template, { label: prediction.label, probabilities: prediction.probabilities, threshold });
    }
    return prediction;
  });
}

/** The label where the model gives no label output: the top score; a one-column decision function is positive above 0. */
function highestScoring(row: ScoreRow, scoreKind: Classification['scoreKind'], negative: string, positive: string): string {
  const entries = Object.entries(row.byClass);
  if (entries.length === 1 && scoreKind === 'decision') return row.positive > 0 ? positive : negative;
  return entries.reduce((best, entry) => (entry[1] > best[1] ? entry : best))[0];
}

function readLabels(mapping: Classification, labelOutput: string, outputs: TensorMap, count: number): string[] {
  const { tensor } = outputRows(outputs, labelOutput, count);
  const { classes } = mapping;
  return arrayOf(count, (i) => {
    const raw = tensor.data[i];
    // String labels (a model trained on named classes) must be one of the classes; integer labels index them.
    const label = typeof raw === 'string' ? (classes.includes(raw) ? raw : undefined) : classes[Number(raw)];
    if (label === undefined) {
      throw new Error(
        `model and spec disagree: output "${labelOutput}" gave label ${String(raw)}, but the spec's classes are ${classes.join(', ')}`,
      );
    }
    return label;
  });
}

function readScores(mapping: Classification, name: string, outputs: TensorMap, count: number): ScoreRow[] {
  const { tensor, width } = outputRows(outputs, name, count);
  const { classes } = mapping;
  const { data } = tensor;
  if (width === 1 && mapping.scoreKind === 'decision' && classes.length === 2) {
    // A binary decision function scores the positive class only: the negative's score is not invented.
    const [, positiveClass] = classes as [string, string];
    return arrayOf(count, (i) => {
      const positive = numberAt(data, i);
      return { byClass: { [positiveClass]: positive }, positive };
    });
  }
  if (width !== classes.length) {
    throw new Error(
      `model and spec disagree: output "${name}" holds ${width} scores per row, but the spec lists ${classes.length} classes`,
    );
  }
  return arrayOf(count, (i) => {
    const byClass: Record<string, number> = {};
    classes.forEach((label, j) => (byClass[label] = numberAt(data, i * width + j)));
    return { byClass, positive: numberAt(data, i * width + 1) };
  });
}
