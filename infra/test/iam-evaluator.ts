// A small IAM policy evaluator for the tests: explicit Deny wins, then any matching Allow. It knows the
// condition operators our documents use and throws on any other, so a test can never pass by not
// understanding a policy. Not AWS's engine: enough to check our documents against known escalation paths.
import type { PolicyStatement } from '../src/aws/iam-policy';
import { asList } from './synthesized';

export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  /** Condition keys present in the request (aws:RequestTag/…, iam:PassedToService, …); absent keys are absent. */
  readonly context?: Readonly<Record<string, string>>;
}

const glob = (pattern: string, value: string, ignoreCase: boolean): boolean => {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
};

const OPERATORS: Record<string, (pattern: string, value: string) => boolean> = {
  StringEquals: (pattern, value) => pattern === value,
  StringLike: (pattern, value) => glob(pattern, value, false),
  ArnEquals: (pattern, value) => pattern === value,
  ArnLike: (pattern, value) => glob(pattern, value, false),
  Bool: (pattern, value) => pattern === value,
};

function conditionsHold(statement: PolicyStatement, context: Readonly<Record<string, string>>): boolean {
  const keys = Object.fromEntries(Object.entries(context).map(([key, value]) => [key.toLowerCase(), value]));
  return Object.entries(statement.Condition ?? {}).every(([operator, tests]) => {
    const matches = OPERATORS[operator];
    if (!matches) throw new Error(`the test evaluator does not know the condition operator ${operator}`);
    return Object.entries(tests).every(([key, patterns]) => {
      const value = keys[key.toLowerCase()];
      return value !== undefined && asList(patterns).some((pattern) => matches(pattern, value));
    });
  });
}

function applies(statement: PolicyStatement, request: IamRequest): boolean {
  if ('NotAction' in statement || 'NotResource' in statement) throw new Error('the test evaluator does not know NotAction/NotResource');
  return (
    asList(statement.Action).some((action) => glob(action, request.action, true)) &&
    asList(statement.Resource ?? '*').some((resource) => glob(resource, request.resource, false)) &&
    conditionsHold(statement, request.context ?? {})
  );
}

/** Whether `statements` allow `request`. */
export function allows(statements: readonly PolicyStatement[], request: IamRequest): boolean {
  const matching = statements.filter((statement) => applies(statement, request));
  return matching.some((s) => s.Effect === 'Allow') && !matching.some((s) => s.Effect === 'Deny');
}
