import { describe, expect, it } from 'vitest';
import { registryProps } from '../src/app';
import { RegistryStack } from '../src/stacks/registry-stack';
import { loadConfig, resources, statements, synthStack, testDeployments } from './synthesized';

/** dev.json with other registry settings. */
const loadConfigWith = (registry: Record<string, unknown>) => loadConfig('dev', {}, { registry });

const config = loadConfig('dev');
const json = synthStack((app) => new RegistryStack(app, registryProps(config, testDeployments('dev'))));

describe('registry stack (shared)', () => {
  const repositories = resources(json, 'aws_ecr_repository');

  it('has one repository per service and target, so each service’s images stay its own', () => {
    expect(repositories.map((r) => r['name']).sort()).toEqual([
      'onnx-serve-dev-fraud-lambda',
      'onnx-serve-dev-fraud-scoring-v2-lambda',
      'onnx-serve-dev-fraud-scoring-v2-server',
      'onnx-serve-dev-vision-server',
    ]);
  });

  it('leaves out services with no settings for the environment', () => {
    const prod = synthStack((app) => new RegistryStack(app, registryProps(loadConfig('prod'), testDeployments('prod'))));
    expect(resources(prod, 'aws_ecr_repository').map((r) => r['name']).sort()).toEqual([
      'onnx-serve-prod-fraud-lambda',
      'onnx-serve-prod-fraud-scoring-v2-lambda',
      'onnx-serve-prod-fraud-scoring-v2-server',
    ]);
  });

  it('makes every repository scan on push, keep tags immutable and encrypt with KMS', () => {
    for (const repository of repositories) {
      expect(repository).toMatchObject({
        image_tag_mutability: 'IMMUTABLE',
        image_scanning_configuration: { scan_on_push: true },
        encryption_configuration: [{ encryption_type: 'KMS' }],
      });
    }
  });

  it('keeps every deployed image (the one running, those a rollback needs) apart from the last N of the rest', () => {
    const policies = resources(json, 'aws_ecr_lifecycle_policy');
    expect(policies).toHaveLength(4);
    for (const policy of policies) {
      // The deployed rule comes first: an image it selects is never expired by the rule after it.
      expect(JSON.parse(String(policy['policy']))).toEqual({
        rules: [
          {
            rulePriority: 1,
            description: 'keep the last 20 deployed images',
            selection: { tagStatus: 'tagged', tagPatternList: ['deployed-*'], countType: 'imageCountMoreThan', countNumber: 20 },
            action: { type: 'expire' },
          },
          {
            rulePriority: 2,
            description: 'keep the last 10 images',
            selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10 },
            action: { type: 'expire' },
          },
        ],
      });
    }
  });

  it('refuses to keep fewer deployed images than images, which could expire the image running', () => {
    expect(() => loadConfigWith({ keepLastImages: 30, keepDeployedImages: 29 })).toThrow(
      'keepDeployedImages must be at least keepLastImages, or the image running could expire',
    );
    expect(loadConfigWith({ keepLastImages: 30, keepDeployedImages: 30 }).registry).toEqual({ keepLastImages: 30, keepDeployedImages: 30, forceDelete: true });
  });

  it('lets only the service’s own function pull each Lambda image', () => {
    const conditions = resources(json, 'aws_ecr_repository_policy').map((policy) => {
      const [statement, ...others] = statements(policy);
      expect(others).toEqual([]);
      expect(statement).toMatchObject({
        Sid: 'LambdaPull',
        Effect: 'Allow',
        Principal: { Service: 'lambda.amazonaws.com' },
        Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      });
      return statement!.Condition;
    });
    expect(conditions).toEqual([
      { StringLike: { 'aws:sourceArn': 'arn:aws:lambda:us-east-1:123456789012:function:onnx-serve-dev-fraud' } },
      { StringLike: { 'aws:sourceArn': 'arn:aws:lambda:us-east-1:123456789012:function:onnx-serve-dev-fraud-scoring-v2' } },
    ]);
  });

  it('outputs every repository URL', () => {
    expect(Object.keys(json.output ?? {}).sort()).toEqual([
      'fraud_lambda_repository_url',
      'fraud_scoring_v2_lambda_repository_url',
      'fraud_scoring_v2_server_repository_url',
      'vision_server_repository_url',
    ]);
  });
});
