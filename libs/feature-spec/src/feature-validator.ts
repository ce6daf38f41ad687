// Request bodies → validated rows for one spec: every problem of every instance is reported at once, and a value
// is only ever filled from a declared default (listed per row, so callers can see it happened).
import type { z } from 'zod';
import { RequestValidationError, type FieldIssue } from './errors';
import { compileFastInstanceCheck } from './fast-instance-check';
import { instanceSchema } from './instance-schema';
import { instancePath, readInstancesBody, type ValidatorOptions } from './instances-body';
import type { FeatureValue, ModelSpec } from './model-spec';

/** One validated instance: every feature present, of its declared type. */
export type ValidRow = Record<string, FeatureValue>;

export interface ValidatedInstances {
  rows: ValidRow[];
  /** Per row, the features filled from their declared default (sent missing or null). */
  defaulted: string[][];
  /** Per row, the features sent missing or null and fed as NaN (missing "nan"). */
  missing: string[][];
}

export function createFeatureValidator(
  spec: ModelSpec,
  options: ValidatorOptions = {},
): (body: unknown) => ValidatedInstances {
  const schema = instanceSchema(spec, options);
  const fast = compileFastInstanceCheck(spec, options.maxStringLength);
  const withDefault = spec.features.filter((feature) => feature.default !== undefined).map((feature) => feature.name);
  const nullable = spec.features.filter((feature) => feature.missing === 'nan').map((feature) => feature.name);
  return (body) => {
    const { instances, bare } = readInstancesBody(body, { maxInstances: options.maxInstances, allowBare: true });
    const rows: ValidRow[] = [];
    const defaulted: string[][] = [];
    const missing: string[][] = [];
    const issues: FieldIssue[] = [];
    instances.forEach((instance, index) => {
      const canonical = fast(instance);
      if (canonical) {
        rows.push(canonical.row);
        defaulted.push(canonical.defaulted);
        missing.push(canonical.missing);
        return;
      }
      const result = schema.safeParse(instance);
      if (!result.success) {
        issues.push(...fieldIssues(result.error.issues, bare, index));
        return;
      }
      rows.push(result.data);
      const sent = instance as Record<string, unknown>;
      const sentMissing = (name: string) => sent[name] === undefined || sent[name] === null;
      defaulted.push(withDefault.filter(sentMissing));
      missing.push(nullable.filter(sentMissing));
    });
    if (issues.length > 0) throw new RequestValidationError(issues);
    return { rows, defaulted, missing };
  };
}

// zod reports all unknown keys of an object as one issue; callers want one per field, at that field's path.
function fieldIssues(issues: z.core.$ZodIssue[], bare: boolean, index: number): FieldIssue[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: instancePath(bare, index, [...issue.path, key]), message: issue.message }))
      : [{ path: instancePath(bare, index, issue.path), message: issue.message }],
  );
}
