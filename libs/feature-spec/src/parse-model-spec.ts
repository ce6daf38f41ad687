// A spec.json as read from disk → a ModelSpec the rest of the library can trust, or a SpecError listing every problem.
import { formatPath, SpecError } from './errors';
import { modelSpecSchema, type ModelSpec } from './model-spec';
import { specConsistencyIssues } from './spec-consistency';

/** @param source where the JSON came from (`models/iris/1/spec.json`), named in every message. */
export function parseModelSpec(json: unknown, source: string): ModelSpec {
  const parsed = modelSpecSchema.safeParse(json);
  if (!parsed.success) {
    throw new SpecError(
      source,
      parsed.error.issues.map((issue) => ({ path: formatPath(issue.path) || '(root)', message: issue.message })),
    );
  }
  const issues = specConsistencyIssues(parsed.data);
  if (issues.length > 0) throw new SpecError(source, issues);
  return parsed.data;
}
