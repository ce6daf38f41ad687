// What one feature accepts, as a strict zod schema and in words. The request schema and the spec's own checks of
// default/enum/example values both use it, so a spec cannot declare a default that its requests would reject.
import * as z from 'zod';
import { describeValue } from './errors';
import type { FeatureSpec, FeatureValue } from './model-spec';

/** The longest string a feature accepts: its own maxLength, capped by the server's global limit. */
export function effectiveMaxLength(feature: FeatureSpec, maxStringLength?: number): number | undefined {
  if (feature.maxLength === undefined) return maxStringLength;
  return maxStringLength === undefined ? feature.maxLength : Math.min(feature.maxLength, maxStringLength);
}

/** "a number ≥ 4.3 and ≤ 7.9", "one of: \"red\", \"green\"", "a string of at most 5000 characters". */
export function expectation(feature: FeatureSpec, maxLength = feature.maxLength): string {
  if (feature.enum) return `one of: ${feature.enum.map((value) => JSON.stringify(value)).join(', ')}`;
  switch (feature.type) {
    case 'number':
    case 'integer': {
      const noun = feature.type === 'number' ? 'a number' : 'an integer';
      const bounds = [
        feature.minimum === undefined ? undefined : `≥ ${feature.minimum}`,
        feature.maximum === undefined ? undefined : `≤ ${feature.maximum}`,
      ].filter((bound) => bound !== undefined);
      const rule = bounds.length === 0 ? noun : `${noun} ${bounds.join(' and ')}`;
      return feature.missing === 'nan' ? `${rule}, or null when missing` : rule;
    }
    case 'string':
      return maxLength === undefined ? 'a string' : `a string of at most ${maxLength} characters`;
    case 'boolean':
      return 'true or false';
  }
}

/** The strict schema of one feature's value (no numeric strings: the request schema converts those first). */
export function featureValueSchema(feature: FeatureSpec, maxStringLength?: number): z.ZodType<FeatureValue> {
  const maxLength = effectiveMaxLength(feature, maxStringLength);
  const wanted = expectation(feature, maxLength);
  // One message per feature whatever check failed: it states the whole rule and echoes what was sent.
  const error = (issue: { input?: unknown }): string => {
    if (issue.input === undefined) return 'is required';
    if (issue.input === null) return 'is required, got null';
    return `must be ${wanted}, got ${describeValue(issue.input)}`;
  };
  if (feature.enum) return z.literal(feature.enum, { error });
  switch (feature.type) {
    case 'number':
    case 'integer': {
      let schema = feature.type === 'number' ? z.number({ error }) : z.int({ error });
      if (feature.minimum !== undefined) schema = schema.min(feature.minimum, { error });
      if (feature.maximum !== undefined) schema = schema.max(feature.maximum, { error });
      return schema;
    }
    case 'string':
      return maxLength === undefined ? z.string({ error }) : z.string({ error }).max(maxLength, { error });
    case 'boolean':
      return z.boolean({ error });
  }
}

/** The problem with a value declared in the spec itself (default, example, enum entry), or undefined. */
export function featureValueProblem(feature: FeatureSpec, value: FeatureValue): string | undefined {
  const result = featureValueSchema(feature).safeParse(value);
  return result.success ? undefined : result.error.issues[0]?.message;
}
