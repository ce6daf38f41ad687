// One zod schema per spec for one instance: the request validator parses with it and the JSON Schema (OpenAPI,
// HTML form) is generated from it, so the docs cannot drift from what the server accepts.
import * as z from 'zod';
import { describeValue } from './errors';
import { featureValueSchema } from './feature-values';
import type { FeatureSpec, FeatureValue, ModelSpec } from './model-spec';
import { fromBooleanString, fromNumericString, isPlainObject } from './wire-values';

export function instanceSchema(
  spec: ModelSpec,
  options: { maxStringLength?: number } = {},
): z.ZodType<Record<string, FeatureValue>> {
  const shape: Record<string, z.ZodType<FeatureValue>> = {};
  for (const feature of spec.features) {
    shape[feature.name] = whenMissing(feature, featureValueSchema(feature, options.maxStringLength)).meta(featureMeta(feature));
  }
  const names = spec.features.map((feature) => feature.name).join(', ');
  const instance = z
    .strictObject(shape, {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown feature; expected one of: ${names}`
          : `must be an object of features, got ${describeValue(issue.input)}`,
    })
    .meta({ ...(spec.description ? { description: spec.description } : {}), examples: [exampleInstance(spec)] });
  // The lenient wire forms are converted before the strict object, so the JSON Schema shows the canonical types.
  return z.preprocess(wireForms(spec.features), instance) as z.ZodType<Record<string, FeatureValue>>;
}

/** A valid instance for docs and forms: each feature's example, else its default, else a value it accepts. */
export function exampleInstance(spec: ModelSpec): Record<string, FeatureValue> {
  return Object.fromEntries(spec.features.map((feature) => [feature.name, exampleValue(feature)]));
}

function exampleValue(feature: FeatureSpec): FeatureValue {
  if (feature.example !== undefined) return feature.example;
  if (feature.default !== undefined) return feature.default;
  if (feature.enum?.[0] !== undefined) return feature.enum[0];
  switch (feature.type) {
    case 'number':
    case 'integer': {
      // Zero when the range allows it, else the bound nearest to it.
      const low = feature.type === 'integer' ? Math.ceil(feature.minimum ?? -Infinity) : (feature.minimum ?? -Infinity);
      const high = feature.type === 'integer' ? Math.floor(feature.maximum ?? Infinity) : (feature.maximum ?? Infinity);
      return Math.min(Math.max(0, low), high);
    }
    case 'string':
      return '';
    case 'boolean':
      return false;
  }
}

/** A missing value (absent, or null) is filled from the default, fed as NaN, or refused as required. */
function whenMissing(feature: FeatureSpec, value: z.ZodType<FeatureValue>): z.ZodType<FeatureValue> {
  if (feature.default !== undefined) return value.default(feature.default);
  if (feature.missing === 'nan') return value.nullable().optional().transform((sent) => sent ?? NaN);
  return value;
}

function featureMeta(feature: FeatureSpec): Record<string, unknown> {
  const unit = feature.unit ? `unit: ${feature.unit}` : undefined;
  const described = feature.description && unit ? `${feature.description} (${unit})` : (feature.description ?? unit);
  const missing = feature.missing === 'nan' ? 'missing (null or left out): fed to the model as NaN' : undefined;
  const description = [described, missing].filter(Boolean).join('; ');
  return {
    ...(description ? { description } : {}),
    ...(feature.example !== undefined ? { examples: [feature.example] } : {}),
  };
}

/** Converts numeric and boolean strings, and null for a feature with a default (then filled like a missing one). */
function wireForms(features: FeatureSpec[]): (value: unknown) => unknown {
  return (value) => {
    if (!isPlainObject(value)) return value;
    let copy: Record<string, unknown> | undefined;
    for (const feature of features) {
      const sent = value[feature.name];
      const converted = wireForm(feature, sent);
      if (converted !== sent) (copy ??= { ...value })[feature.name] = converted;
    }
    return copy ?? value;
  };
}

function wireForm(feature: FeatureSpec, value: unknown): unknown {
  if (value === null) return feature.default === undefined ? null : undefined;
  if (feature.type === 'number' || feature.type === 'integer') return fromNumericString(value);
  return feature.type === 'boolean' ? fromBooleanString(value) : value;
}
