// The two errors of this library: a spec that cannot be served (a deployment problem) and a request that does
// not fit the spec (the caller's problem, answered with every bad field at once).

/** One problem, located by its path: `instances[2].petal_length` in a request, `features[1].default` in a spec. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** A file of the model store that cannot be used, with every problem in it, each on a line of its own. */
export class FileIssuesError extends Error {
  constructor(
    readonly source: string,
    readonly issues: FieldIssue[],
  ) {
    super(issues.map((issue) => `${source}: ${issue.path}: ${issue.message}`).join('\n'));
  }
}

/** A spec.json that is malformed, inconsistent, or does not fit the model's ONNX signature. */
export class SpecError extends FileIssuesError {
  override name = 'SpecError';
}

/** A golden.json that cannot be read as one. */
export class GoldenFileError extends FileIssuesError {
  override name = 'GoldenFileError';
}

/** A request body that does not fit the model: the caller gets every issue, not just the first. */
export class RequestValidationError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((issue) => `${issue.path} ${issue.message}`).join('; '));
    this.name = 'RequestValidationError';
  }
}

/** A zod-style path (`['features', 2, 'default']`) as the dotted form used in messages (`features[2].default`). */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** What a caller sent, short enough to echo back in a message (long strings are not repeated in full). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') {
    return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  }
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `an array of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}
