// One served model's predict route in zod: the request its validator accepts, the response it answers with, and
// a request that works. Features mode derives all three from the spec, raw mode from the ONNX signature.
import { exampleInstance, instanceSchema, type ModelSignature, type ModelSpec } from '@onnx-serve/feature-spec';
import { z } from 'zod';
import { predictRequestSchema } from './predict-schemas';
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

function featurePredictionSchema(spec: ModelSpec): z.ZodType {
  const withDefault = spec.features.filter((feature) => feature.default !== undefined).map((feature) => feature.name);
  const defaulted =
    withDefault.length === 0
      ? {}
      : {
          defaulted: z
            .array(z.enum(withDefault as [string, ...string[]]))
            .optional()
            .meta({ description: 'The features filled from their declared default (sent missing or null).' }),
        };
  const { outputs } = spec;
  if (outputs.kind === 'regression') return z.strictObject({ value: z.number(), ...defaulted });
  const classes = outputs.classes as [string, ...string[]];
  const byClass =
    outputs.scoreKind === 'decision'
      ? // A binary decision function scores only the positive class: some classes may be absent.
        { scores: z.partialRecord(z.enum(classes), z.number()).optional() }
      : { probabilities: z.record(z.enum(classes), z.number()).optional() };
  return z.strictObject({ label: z.enum(classes), ...byClass, ...defaulted });
}

export function modelResponseSchema(model: DocumentedModel): z.ZodType {
  return z.object({
    model: z.object({ name: z.literal(model.name), version: z.literal(model.version) }),
    predictions: z.array(model.spec ? featurePredictionSchema(model.spec) : rawPredictionSchemaFor(model.signature)),
  });
}
