// The predict route's wire shapes for any model: the request envelope around a model's own instance schema, and
// the predictions it answers with (named features give {label, …} or {value}; raw mode, values by output name).
import * as z from 'zod';

/**
 * The body of POST /v1/models/{name}/predict around one instance schema: {"instances": [...]}, or (features mode
 * only) one bare instance object.
 */
export function predictRequestSchema(
  instance: z.ZodType,
  options: { allowBare: boolean; maxInstances?: number },
): z.ZodType {
  const instances = z.array(instance).min(1);
  const batch = z
    .strictObject({ instances: options.maxInstances === undefined ? instances : instances.max(options.maxInstances) })
    .meta({ title: 'A batch of instances' });
  return options.allowBare ? z.union([batch, instance.meta({ title: 'One bare instance' })]) : batch;
}

const scoresByClass = z.record(z.string(), z.number());
const defaultedSchema = z
  .array(z.string())
  .optional()
  .meta({ description: 'The features this prediction filled from their declared default (sent missing or null).' });

const missingSchema = z
  .array(z.string())
  .optional()
  .meta({ description: 'The features sent missing (null or left out) and fed to the model as NaN (spec: missing "nan").' });

/** How the spec's threshold decided a binary label; `modelClass` is the enum of class names when known. */
export function thresholdDecisionSchema(modelClass: z.ZodType<string> = z.string()) {
  return z
    .strictObject({
      value: z.number().meta({ description: "The spec's threshold on the positive class's score." }),
      modelLabel: modelClass.meta({ description: 'The label the model gave by itself (its label output, or its highest score).' }),
      changed: z.boolean().meta({ description: 'Whether the threshold changed that label.' }),
    })
    .meta({ description: "Present when the spec sets a threshold: it, not the model's own label, decided `label`." });
}

export const messageSchema = z.string().meta({ description: "The spec's message for the label's class, filled in (\"99.0% chance of spam\")." });

export const classPredictionSchema = z.strictObject({
  label: z.string(),
  probabilities: scoresByClass.optional().meta({ description: 'Per class, for a model whose scores are probabilities.' }),
  scores: scoresByClass.optional().meta({ description: 'Per class, for decision-function scores (SVMs).' }),
  threshold: thresholdDecisionSchema().optional(),
  message: messageSchema.optional(),
  defaulted: defaultedSchema,
  missing: missingSchema,
});

export const regressionPredictionSchema = z.strictObject({ value: z.number(), defaulted: defaultedSchema, missing: missingSchema });

/** A row of one raw output: a scalar, nested arrays shaped like the row, or {class: probability} for a ZipMap. */
export type RawValue = number | string | boolean | RawValue[] | { [key: string]: number };
export const rawValueSchema: z.ZodType<RawValue> = z.lazy(() =>
  z.union([z.number(), z.string(), z.boolean(), z.array(rawValueSchema), z.record(z.string(), z.number())]),
);
export const rawPredictionSchema = z.record(z.string(), rawValueSchema);

/** Any model's prediction: the features-mode shapes are strict, so a raw prediction is never mistaken for one. */
export const predictionSchema = z.union([classPredictionSchema, regressionPredictionSchema, rawPredictionSchema]);

export const predictResponseSchema = z.object({
  model: z.object({ name: z.string(), version: z.string() }),
  predictions: z.array(predictionSchema),
});

export type ClassPrediction = z.infer<typeof classPredictionSchema>;
export type PredictResponse = z.infer<typeof predictResponseSchema>;
