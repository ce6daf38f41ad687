// One served model's predict route in zod: the request its validator accepts, the response it answers with, and
// a request that works. Features mode derives all three from the spec, raw mode from the ONNX signature.
import { exampleInstance, instanceSchema, type FeatureSpec, type ModelSignature, type ModelSpec } from '@onnx-serve/feature-spec';
import * as z from 'zod';
import { messageSchema, predictRequestSchema, thresholdDecisionSchema } from './predict-schemas';
import { rawExampleInstance, rawInstanceSchema, rawPredictionSchemaFor } from './raw-schemas';

/** A model as the docs see it: what the server loaded, without the session. */
export interface DocumentedModel {
  name: string;
  version: string;
  spec: ModelSpec | null;
  signature: ModelSignature;
}

/** The limits the server applies to every request (config MAX_INSTANCES, MAX_STRING_LENGTH). */
export interface RequestLimits {
  maxInstances?: number;
  maxStringLength?: number;
}

export function modelRequestSchema(model: DocumentedModel, limits: RequestLimits = {}): z.ZodType {
  const { maxInstances, maxStringLength } = limits;
  if (!model.spec) return predictRequestSchema(rawInstanceSchema(model.signature, { maxStringLength }), { allowBare: false, maxInstances });
  return predictRequestSchema(instanceSchema(model.spec, { maxStringLength }), { allowBare: true, maxInstances });
}

/** One instance the server accepts for this model. */
export function modelExampleInstance(model: DocumentedModel): unknown {
  return model.spec ? exampleInstance(model.spec) : rawExampleInstance(model.signature);
}

/** `{[key]: array of these feature names}`, or nothing when no feature can be listed there. */
function featureList(key: string, names: string[], description: string): Record<string, z.ZodType> {
  if (names.length === 0) return {};
  return { [key]: z.array(z.enum(names as [string, ...string[]])).optional().meta({ description }) };
}

function featurePredictionSchema(spec: ModelSpec): z.ZodType {
  const namesWhere = (test: (feature: FeatureSpec) => boolean) => spec.features.filter(test).map((feature) => feature.name);
  const filled = {
    ...featureList(
      'defaulted',
      namesWhere((feature) => feature.default !== undefined),
      'The features filled from their declared default (sent missing or null).',
    ),
    ...featureList(
      'missing',
      namesWhere((feature) => feature.missing === 'nan'),
      'The features sent missing (null or left out) and fed to the model as NaN.',
    ),
  };
  const { outputs } = spec;
  if (outputs.kind === 'regression') return z.strictObject({ value: z.number(), ...filled });
  const classes = outputs.classes as [string, ...string[]];
  const byClass =
    outputs.scoreKind === 'decision'
      ? // A binary decision function scores only the positive class: some classes may be absent.
        { scores: z.partialRecord(z.enum(classes), z.number()).optional() }
      : { probabilities: z.record(z.enum(classes), z.number()).optional() };
  // Present on every prediction when the spec sets them (a message only for classes that have one).
  const threshold = outputs.threshold === undefined ? {} : { threshold: thresholdDecisionSchema(z.enum(classes)) };
  const message = outputs.messages === undefined ? {} : { message: messageSchema.optional() };
  return z.strictObject({ label: z.enum(classes), ...byClass, ...threshold, ...message, ...filled });
}

export function modelResponseSchema(model: DocumentedModel): z.ZodType {
  return z.object({
    model: z.object({ name: z.literal(model.name), version: z.literal(model.version) }),
    predictions: z.array(model.spec ? featurePredictionSchema(model.spec) : rawPredictionSchemaFor(model.signature)),
  });
}
