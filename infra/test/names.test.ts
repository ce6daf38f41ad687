// AWS name limits with the longest names config and service.json allow: a 20-character name prefix and a
// 16-character service name.
import { describe, expect, it } from 'vitest';
import { ec2ApiProps, lambdaApiProps } from '../src/app';
import { fitName, LOAD_BALANCER_NAME_MAX } from '../src/aws/names';
import { Ec2ApiStack } from '../src/stacks/ec2-api-stack';
import { LambdaApiStack } from '../src/stacks/lambda-api-stack';
import { deploymentOf, LONGEST, loadConfig, resources, synthStack, theResource, type TerraformJson } from './synthesized';

const LONGEST_PREFIX = 'onnx-serve-staging-x';
const config = { ...loadConfig('dev'), namePrefix: LONGEST_PREFIX };
const ec2 = synthStack((app) => new Ec2ApiStack(app, ec2ApiProps(config, deploymentOf(LONGEST, 'dev'))));
const lambda = synthStack((app) => new LambdaApiStack(app, lambdaApiProps(config, deploymentOf(LONGEST, 'dev'))));

// Application Load Balancer and target group names: alphanumerics and dashes, not starting or ending with a dash.
const LB_NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/;

const names = (json: TerraformJson, type: string, property = 'name') => resources(json, type).map((r) => String(r[property]));

describe('AWS names with the longest prefix and service name', () => {
  it('are the full name when it fits, else its start and a hash, within the limit and unique per name', () => {
    expect(LONGEST_PREFIX).toHaveLength(20);
    expect(LONGEST.name).toHaveLength(16);
    expect(fitName('onnx-serve-dev-fraud', 32)).toBe('onnx-serve-dev-fraud');
    const [v2, v3] = ['fraud-scoring-v2', 'fraud-scoring-v3'].map((service) => fitName(`${LONGEST_PREFIX}-${service}`, LOAD_BALANCER_NAME_MAX));
    expect(v2).toMatch(/^onnx-serve-staging-x-fr-[0-9a-f]{8}$/);
    expect(v2).toHaveLength(32);
    expect(v3).not.toBe(v2);
    // A cut that ends on a dash drops it rather than leave two before the hash.
    expect(fitName('abcdefghi-jklmnopqrst', 19)).toMatch(/^abcdefghi-[0-9a-f]{8}$/);
  });

  it('keep the load balancer and target group within 32 characters, starting with the name prefix', () => {
    for (const name of [...names(ec2, 'aws_lb'), ...names(ec2, 'aws_lb_target_group')]) {
      expect(name.length).toBeLessThanOrEqual(32);
      expect(name).toMatch(LB_NAME);
      expect(name.startsWith(LONGEST_PREFIX)).toBe(true);
    }
    expect(theResource(ec2, 'aws_lb')['name']).toBe(theResource(ec2, 'aws_lb_target_group')['name']);
  });

  it('keep IAM roles and instance profiles within 64, the function within 64, and the rest within their limits', () => {
    const roles = [...names(ec2, 'aws_iam_role'), ...names(lambda, 'aws_iam_role')];
    expect(roles).toEqual([`${LONGEST_PREFIX}-fraud-scoring-v2-server`, `${LONGEST_PREFIX}-fraud-scoring-v2-lambda`]);
    for (const name of [...roles, ...names(ec2, 'aws_iam_instance_profile'), ...names(lambda, 'aws_lambda_function', 'function_name')]) {
      expect(name.length).toBeLessThanOrEqual(64);
    }
    for (const name of [...names(ec2, 'aws_security_group'), ...names(ec2, 'aws_autoscaling_group'), ...names(ec2, 'aws_launch_template')]) {
      expect(name.length).toBeLessThanOrEqual(125);
    }
    for (const name of [...names(lambda, 'aws_api_gateway_usage_plan'), ...names(lambda, 'aws_api_gateway_api_key')]) {
      expect(name.length).toBeLessThanOrEqual(128);
    }
  });
});
