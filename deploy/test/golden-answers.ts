// The recorded answers the staged images are held to: each example model's golden file (test-fixtures/golden),
// its rows as instances and the predictions the API must answer for them (floats within 1e-4, labels exactly).
import { readdirSync } from 'node:fs';
import { bundledModelDir, goldenInstances, goldenPredictions, readGolden, type Golden } from '@onnx-serve/testing';

/** Every model of the fixture store, which is what an image staged from it serves. */
export const fixtureModels = readdirSync(bundledModelDir).sort();

export interface GoldenAnswers {
  model: string;
  instances: Record<string, unknown>[];
  /** The predictions for `instances`, in order. */
  predictions: Record<string, unknown>[];
}

function answers(model: string, file: string, predictionsOf: (golden: Golden) => Record<string, unknown>[]): GoldenAnswers {
  const golden = readGolden(file);
  return { model, instances: goldenInstances(golden), predictions: predictionsOf(golden) };
}

/** The four example models: a regression, a ZipMap classifier, a scored text model, a text model of three fields. */
export const exampleAnswers = {
  diabetes: answers('diabetes', 'diabetes-rf.golden.json', (golden) => goldenPredictions.regression(golden, 'variable')),
  iris: answers('iris', 'iris-gb-zipmap.golden.json', (golden) => goldenPredictions.probabilities(golden, 'output_label', 'output_probability')),
  sentiment: answers('sentiment', 'sentiment-svc.golden.json', (golden) => goldenPredictions.scores(golden, 'label', 'probabilities', 'positive')),
  'disaster-tweets': answers('disaster-tweets', 'tweets-logreg.golden.json', (golden) => goldenPredictions.probabilities(golden, 'label', 'probabilities')),
};
