// The hot path of request validation. Most instances arrive already canonical (every value a JSON value of its
// feature's type, inside its bounds), and for those running the zod schema (preprocess, copy, per-field checks)
// costs several times the model run. This check accepts exactly such instances, filling declared defaults and NaN
// for a missing number that declares missing "nan"; anything else (a numeric string, a missing required or unknown
// field, a bad value) returns undefined and goes through the zod schema, which stays the one source of conversions
// and error messages. fast-instance-check.test.ts checks that both paths agree on every instance it generates.
import { effectiveMaxLength } from './feature-values';
import type { FeatureSpec, FeatureValue, ModelSpec } from './model-spec';

export interface FastRow {
  row: Record<string, FeatureValue>;
  defaulted: string[];
  /** The features sent missing that were fed as NaN (missing "nan"). */
  missing: string[];
}

type ValueCheck = (value: unknown) => boolean;

function valueCheck(feature: FeatureSpec, maxStringLength?: number): ValueCheck {
  if (feature.enum) {
    const allowed = new Set<unknown>(feature.enum);
    return (value) => allowed.has(value);
  }
  switch (feature.type) {
    case 'number':
    case 'integer': {
      const isNumber = feature.type === 'number' ? Number.isFinite : Number.isSafeInteger;
      const min = feature.minimum ?? -Infinity;
      const max = feature.maximum ?? Infinity;
      return (value) => isNumber(value) && (value as number) >= min && (value as number) <= max;
    }
    case 'string': {
      const maxLength = effectiveMaxLength(feature, maxStringLength) ?? Infinity;
      return (value) => typeof value === 'string' && value.length <= maxLength;
    }
    case 'boolean':
      return (value) => typeof value === 'boolean';
  }
}

export function compileFastInstanceCheck(
  spec: ModelSpec,
  maxStringLength?: number,
): (instance: unknown) => FastRow | undefined {
  const features = spec.features.map((feature) => ({
    name: feature.name,
    check: valueCheck(feature, maxStringLength),
    fallback: feature.default,
    nan: feature.missing === 'nan',
  }));
  const known = new Set(features.map((f) => f.name));
  return (instance) => {
    if (typeof instance !== 'object' || instance === null || Array.isArray(instance)) return undefined;
    const sent = instance as Record<string, unknown>;
    for (const key in sent) if (!known.has(key)) return undefined;
    const row: Record<string, FeatureValue> = {};
    let defaulted: string[] | undefined;
    let missing: string[] | undefined;
    for (const { name, check, fallback, nan } of features) {
      const value = sent[name];
      if (value === undefined || value === null) {
        if (nan) {
          row[name] = NaN;
          (missing ??= []).push(name);
          continue;
        }
        if (fallback === undefined) return undefined;
        row[name] = fallback;
        (defaulted ??= []).push(name);
      } else if (check(value)) {
        row[name] = value as FeatureValue;
      } else {
        return undefined;
      }
    }
    return { row, defaulted: defaulted ?? [], missing: missing ?? [] };
  };
}
