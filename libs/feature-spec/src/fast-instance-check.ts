// The hot path of request validation. Most instances arrive already canonical (every value a JSON value of its
// feature's type, inside its bounds), and for those running the zod schema (preprocess, copy, per-field checks)
// costs several times the model run. This check accepts exactly such instances, filling declared defaults and NaN
// for a missing number that declares missing "nan"; anything else (a numeric string, a missing required or unknown
// field, a bad value) returns undefined and goes through the zod schema, which stays the one source of conversions
// and error messages. fast-instance-check.test.ts checks that both paths agree on every instance it generates.
import { effectiveMaxLength } from './feature-values';
import type { FeatureSpec, FeatureValue, ModelSpec } from './model-spec';

export interface FastRow {
  /** The instance itself when nothing was filled in (it is not modified); else a copy with the fills. */
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
  return (instance) => {
    if (typeof instance !== 'object' || instance === null || Array.isArray(instance)) return undefined;
    const sent = instance as Record<string, unknown>;
    // Every key sent must be a feature: counted here, matched against the features found below (no lookup per key).
    let keys = 0;
    for (const _key in sent) keys++;
    let found = 0;
    let row: Record<string, FeatureValue> | undefined;
    let defaulted: string[] | undefined;
    let missing: string[] | undefined;
    for (const { name, check, fallback, nan } of features) {
      const value = sent[name];
      if (value === undefined || value === null) {
        if (value === null || Object.hasOwn(sent, name)) found++;
        if (!nan && fallback === undefined) return undefined;
        // A value to fill in: from here on the row is a copy, never the caller's object.
        row ??= copyOfChecked(sent, features, name);
        if (nan) {
          row[name] = NaN;
          (missing ??= []).push(name);
        } else {
          row[name] = fallback as FeatureValue;
          (defaulted ??= []).push(name);
        }
      } else if (check(value)) {
        found++;
        if (row) row[name] = value as FeatureValue;
      } else {
        return undefined;
      }
    }
    if (found !== keys) return undefined;
    // Nothing filled in: the instance is already the row (every feature, of its type, and nothing else).
    return { row: row ?? (sent as Record<string, FeatureValue>), defaulted: defaulted ?? [], missing: missing ?? [] };
  };
}

/** The values of the features before `stop`, which the loop above has already checked. */
function copyOfChecked(sent: Record<string, unknown>, features: readonly { name: string }[], stop: string): Record<string, FeatureValue> {
  const row: Record<string, FeatureValue> = {};
  for (const { name } of features) {
    if (name === stop) break;
    row[name] = sent[name] as FeatureValue;
  }
  return row;
}
