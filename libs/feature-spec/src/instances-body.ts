// The request envelope shared by the spec and raw validators: {"instances": [...]}, or (spec mode only) one bare
// instance object. Shape problems are reported together and stop validation before any instance is read.
import { describeValue, formatPath, RequestValidationError, type FieldIssue } from './errors';
import { isPlainObject } from './wire-values';

/** Limits a server applies to every request. */
export interface ValidatorOptions {
  /** Most instances accepted in one request; defaultMaxInstances when not given. */
  maxInstances?: number;
  /** Longest string accepted in any string feature or string tensor, whatever the spec allows. */
  maxStringLength?: number;
}

/**
 * The one default of MAX_INSTANCES (the server's config takes it from here). 10,000 rows of a 10-feature model sent
 * by Python's json.dumps are ~3.6 MB, which the default MAX_BODY_BYTES (4 MiB) admits.
 */
export const defaultMaxInstances = 10_000;

export interface InstancesBody {
  instances: unknown[];
  /** True for one bare instance object: its fields are addressed without the `instances[i].` prefix. */
  bare: boolean;
}

export function readInstancesBody(
  body: unknown,
  { maxInstances = defaultMaxInstances, allowBare }: { maxInstances?: number; allowBare: boolean },
): InstancesBody {
  if (!isPlainObject(body) || !('instances' in body)) {
    if (allowBare && isPlainObject(body)) return { instances: [body], bare: true };
    const wanted = allowBare ? '{"instances": [...]} or one instance object' : '{"instances": [...]}';
    throw new RequestValidationError([{ path: '(body)', message: `must be ${wanted}, got ${describeValue(body)}` }]);
  }
  const issues: FieldIssue[] = [];
  for (const key in body) {
    if (key !== 'instances' && Object.hasOwn(body, key)) issues.push({ path: key, message: 'unknown field; expected only "instances"' });
  }
  const { instances } = body;
  if (!Array.isArray(instances)) {
    issues.push({ path: 'instances', message: `must be an array of instances, got ${describeValue(instances)}` });
  } else if (instances.length === 0) {
    issues.push({ path: 'instances', message: 'must hold at least one instance, got []' });
  } else if (instances.length > maxInstances) {
    issues.push({ path: 'instances', message: `must hold at most ${maxInstances} instances, got ${instances.length}` });
  }
  if (issues.length > 0) throw new RequestValidationError(issues);
  return { instances: instances as unknown[], bare: false };
}

/** The path of a field of instance `index`: `instances[2].petal_length`, or `petal_length` in a bare body. */
export function instancePath(bare: boolean, index: number, rest: readonly PropertyKey[] = []): string {
  return formatPath(bare ? rest : ['instances', index, ...rest]) || '(body)';
}
