import { describe, expect, it } from 'vitest';
import { registryProps } from '../src/app';
import { RegistryStack } from '../src/stacks/registry-stack';
import { loadConfig, resources, statements, synthStack } from './synthesized';

const config = loadConfig('dev');
const json = synthStack((app) => new RegistryStack(app, registryProps(config)));

describe('registry stack', () => {
  const repositories = resources(json, 'aws_ecr_repository');

  it('has one repository per image, named from config', () => {
    expect(repositories.map((r) => r['name']).sort()).toEqual(['onnx-serve-dev-lambda', 'onnx-serve-dev-server']);
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

  it('keeps the last N images in every repository', () => {
    const policies = resources(json, 'aws_ecr_lifecycle_policy');
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(JSON.parse(String(policy['policy']))).toEqual({
        rules: [
          {
            rulePriority: 1,
            description: 'keep the last 10 images',
            selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: config.registry.keepLastImages },
            action: { type: 'expire' },
          },
        ],
      });
    }
  });

  it('lets only this account and region’s Lambda functions pull the Lambda image', () => {
    const [policy, ...others] = resources(json, 'aws_ecr_repository_policy');
    expect(others).toEqual([]);
    expect(statements(policy!)).toEqual([
      {
        Sid: 'LambdaPull',
        Effect: 'Allow',
        Principal: { Service: 'lambda.amazonaws.com' },
        Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        Condition: { StringLike: { 'aws:sourceArn': 'arn:aws:lambda:us-east-1:123456789012:function:*' } },
      },
    ]);
  });

  it('outputs both repository URLs', () => {
    expect(Object.keys(json.output ?? {}).sort()).toEqual(['lambda_repository_url', 'server_repository_url']);
  });
});
