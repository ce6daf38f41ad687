// Each stack deploys on its own: no stack depends on another, reads another's state or references a
// resource it does not declare itself, and each keeps its own state: the shared ones per environment, the
// services' per environment, service and target.
import { describe, expect, it } from 'vitest';
import { PLACEHOLDER_DIGEST } from '../src/config/infra-config';
import { deploymentOf, FRAUD, loadConfig, resources, synthApp, testDeployments, theResource, VISION, type TerraformJson } from './synthesized';

const dev = synthApp(loadConfig('dev'), testDeployments('dev'));
const prod = synthApp(loadConfig('prod'), testDeployments('prod'));

const DEV_STACKS = [
  'registry',
  'models',
  'api-gateway-account',
  'fraud-lambda-api',
  'vision-ec2-api',
  'fraud-scoring-v2-lambda-api',
  'fraud-scoring-v2-ec2-api',
];

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, child]) => (key === '//' ? [] : strings(child)));
  }
  return [];
}

function foreignReferences(json: TerraformJson): string[] {
  const declared = new Set([
    ...Object.entries(json.resource ?? {}).flatMap(([type, all]) => Object.keys(all).map((name) => `${type}.${name}`)),
    ...Object.entries(json.data ?? {}).flatMap(([type, all]) => Object.keys(all).map((name) => `data.${type}.${name}`)),
  ]);
  const found = strings({ resource: json.resource, data: json.data, output: json.output }).flatMap((text) =>
    [...text.matchAll(/\b(data\.)?(aws_[a-z0-9_]+|terraform_remote_state)\.([A-Za-z0-9_-]+)/g)].map((m) => m[0]),
  );
  return found.filter((address) => !declared.has(address));
}

describe('stack isolation', () => {
  it('builds the shared stacks and one stack per service and target, with no dependencies between them', () => {
    expect(Object.keys(dev.manifest.stacks).sort()).toEqual([...DEV_STACKS].sort());
    // vision has no prod settings: prod has no stack of it.
    expect(Object.keys(prod.manifest.stacks).sort()).toEqual(DEV_STACKS.filter((id) => id !== 'vision-ec2-api').sort());
    for (const stack of Object.values(dev.manifest.stacks)) expect(stack.dependencies).toEqual([]);
  });

  it.each(DEV_STACKS)('%s reads no remote state and references only its own resources', (id) => {
    for (const { stacks } of [dev, prod]) {
      if (!stacks[id]) continue;
      expect(stacks[id].data?.['terraform_remote_state']).toBeUndefined();
      expect(foreignReferences(stacks[id])).toEqual([]);
    }
  });

  it('gives every stack its own state: per environment, and per service and target', () => {
    const local = DEV_STACKS.map((id) => String(dev.stacks[id]!.terraform?.backend?.['local']?.['path']).replace(/^.*\/infra\/state\//, ''));
    expect(local).toEqual([
      'dev/registry.tfstate',
      'dev/models.tfstate',
      'dev/api-gateway-account.tfstate',
      'dev/services/fraud/lambda-api.tfstate',
      'dev/services/vision/ec2-api.tfstate',
      'dev/services/fraud-scoring-v2/lambda-api.tfstate',
      'dev/services/fraud-scoring-v2/ec2-api.tfstate',
    ]);
    expect(prod.stacks['fraud-scoring-v2-ec2-api']!.terraform?.backend?.['s3']?.['key']).toBe('onnx-serve/prod/services/fraud-scoring-v2/ec2-api.tfstate');
    expect(prod.stacks['registry']!.terraform?.backend?.['s3']?.['key']).toBe('onnx-serve/prod/registry.tfstate');
  });

  it('sets the API Gateway CloudWatch role of the account once, in the shared stack, and only where config owns it', () => {
    expect(theResource(dev.stacks['api-gateway-account']!, 'aws_api_gateway_account')['cloudwatch_role_arn']).toMatch(/aws_iam_role\.account-log-role/);
    const others = DEV_STACKS.filter((id) => id !== 'api-gateway-account').flatMap((id) => resources(dev.stacks[id]!, 'aws_api_gateway_account'));
    expect(others).toEqual([]);
    const unowned = loadConfig('dev');
    const { manifest } = synthApp({ ...unowned, lambdaApi: { ...unowned.lambdaApi, manageAccountLogRole: false } }, testDeployments('dev'));
    expect(Object.keys(manifest.stacks)).not.toContain('api-gateway-account');
  });

  it('refuses a placeholder image digest when deploying, and only warns when synthesising', () => {
    const unpushed = [deploymentOf(FRAUD, 'dev', {}), deploymentOf(VISION, 'dev', { SERVER_IMAGE_DIGEST: PLACEHOLDER_DIGEST })];
    expect(() => synthApp(loadConfig('dev'), unpushed, { deploying: true })).toThrow(/fraud-lambda-api would run the placeholder image digest/);
    const { manifest } = synthApp(loadConfig('dev'), unpushed);
    expect(manifest.stacks['vision-ec2-api']!.annotations).toEqual([
      expect.objectContaining({ level: expect.stringMatching(/warn/i), message: expect.stringContaining('push the vision server image and set SERVER_IMAGE_DIGEST') }),
    ]);
    expect(manifest.stacks['registry']!.annotations).toEqual([]);
  });
});
