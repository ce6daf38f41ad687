// The IAM documents docs/deploy.md pastes into `aws iam`: valid once its placeholders are filled, and
// the CI role is assumable from this repository's main branch only.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const filled = (file: string) =>
  JSON.parse(
    readFileSync(new URL(`../iam/${file}`, import.meta.url), 'utf8')
      .replaceAll('{{ACCOUNT_ID}}', '123456789012')
      .replaceAll('{{REGION}}', 'us-east-1')
      .replaceAll('{{GITHUB_REPO}}', 'example/onnx-serve'),
  ) as { Statement: Array<Record<string, unknown>> };

describe('deployer IAM documents', () => {
  it('fill every placeholder and parse', () => {
    for (const file of ['deployer-policy.json', 'github-oidc-trust.json']) {
      expect(JSON.stringify(filled(file))).not.toMatch(/\{\{/);
    }
  });

  it('let GitHub OIDC assume the deploy role only from main of the one repository', () => {
    const [statement] = filled('github-oidc-trust.json').Statement;
    expect(statement).toMatchObject({
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': 'repo:example/onnx-serve:ref:refs/heads/main',
        },
      },
    });
  });

  it('never grant every action on every resource', () => {
    for (const statement of filled('deployer-policy.json').Statement) {
      expect(statement['Action']).not.toBe('*');
      expect(statement['Resource'] === '*' && String(statement['Action']).endsWith(':*')).toBe(false);
    }
  });
});
