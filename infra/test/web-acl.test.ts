// The optional web ACL (config "waf"): off by default; when set, one per service stack, in front of its load
// balancer or its API stage, with the managed rule groups and the per-IP rate limit the config names.
import { describe, expect, it } from 'vitest';
import { ec2ApiProps, lambdaApiProps } from '../src/app';
import { Ec2ApiStack } from '../src/stacks/ec2-api-stack';
import { LambdaApiStack } from '../src/stacks/lambda-api-stack';
import { deploymentOf, FRAUD, loadConfig, resources, synthApp, synthStack, testDeployments, theResource, VISION, WITH_HTTPS } from './synthesized';

const WAF = {
  managedRuleGroups: ['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'],
  rateLimitPerIpPer5Minutes: 2000,
};
const withWaf = (environment: string, env: Record<string, string> = {}) => loadConfig(environment, env, { waf: WAF });
const lambda = synthStack((app) => new LambdaApiStack(app, lambdaApiProps(withWaf('dev'), deploymentOf(FRAUD, 'dev'))));
const ec2 = synthStack((app) => new Ec2ApiStack(app, ec2ApiProps(withWaf('dev'), deploymentOf(VISION, 'dev'))));

const visibility = (metric_name: string) => ({ cloudwatch_metrics_enabled: true, metric_name, sampled_requests_enabled: true });

describe('the web ACL', () => {
  it('is off by default in every stack of both environments', () => {
    for (const [environment, env] of [['dev', {}], ['prod', WITH_HTTPS]] as const) {
      for (const json of Object.values(synthApp(loadConfig(environment, env), testDeployments(environment)).stacks)) {
        expect(resources(json, 'aws_wafv2_web_acl')).toEqual([]);
        expect(resources(json, 'aws_wafv2_web_acl_association')).toEqual([]);
      }
    }
  });

  it('blocks a flood from one address first, then runs the managed rule groups in the configured order', () => {
    const acl = theResource(lambda, 'aws_wafv2_web_acl');
    const name = 'onnx-serve-dev-fraud-lambda';
    expect(acl).toEqual({
      name,
      description: `managed rule groups and a per-IP rate limit for ${name}`,
      scope: 'REGIONAL',
      default_action: { allow: {} },
      visibility_config: visibility(name),
      rule: [
        {
          name: 'rate-limit-per-ip',
          priority: 0,
          action: { block: {} },
          statement: { rate_based_statement: { limit: 2000, aggregate_key_type: 'IP' } },
          visibility_config: visibility(`${name}-rate-limit-per-ip`),
        },
        ...WAF.managedRuleGroups.map((group, index) => ({
          name: group,
          priority: index + 1,
          override_action: { none: {} },
          statement: {
            managed_rule_group_statement: {
              name: group,
              vendor_name: 'AWS',
              // A batch body is over the Common rule set's 8 KB: that rule counts, MAX_BODY_BYTES limits bodies.
              rule_action_override: group === 'AWSManagedRulesCommonRuleSet' ? [{ name: 'SizeRestrictions_BODY', action_to_use: { count: {} } }] : [],
            },
          },
          visibility_config: visibility(`${name}-${group}`),
        })),
      ],
    });
  });

  it('guards the Lambda target’s API stage and the EC2 target’s load balancer', () => {
    expect(theResource(lambda, 'aws_wafv2_web_acl_association')).toEqual({
      resource_arn: expect.stringMatching(/^\$\{aws_api_gateway_stage\.api_stage_\w+\.arn}$/),
      web_acl_arn: expect.stringMatching(/^\$\{aws_wafv2_web_acl\.waf_acl_\w+\.arn}$/),
    });
    expect(theResource(ec2, 'aws_wafv2_web_acl')['name']).toBe('onnx-serve-dev-vision-server');
    expect(theResource(ec2, 'aws_wafv2_web_acl_association')['resource_arn']).toMatch(/^\$\{aws_lb\.load-balancer_lb_\w+\.arn}$/);
  });

  it('adds no rate rule when the config sets no limit', () => {
    const config = loadConfig('dev', {}, { waf: { managedRuleGroups: ['AWSManagedRulesKnownBadInputsRuleSet'] } });
    const json = synthStack((app) => new LambdaApiStack(app, lambdaApiProps(config, deploymentOf(FRAUD, 'dev'))));
    expect((theResource(json, 'aws_wafv2_web_acl')['rule'] as { name: string }[]).map((rule) => rule.name)).toEqual(['AWSManagedRulesKnownBadInputsRuleSet']);
  });

  it('refuses a config with no group, an unknown or a repeated group, or a limit AWS would refuse', () => {
    const refused = (waf: unknown) => () => loadConfig('dev', {}, { waf: waf as Record<string, unknown> });
    expect(refused({ managedRuleGroups: [] })).toThrow(/waf\.managedRuleGroups/);
    expect(refused({ managedRuleGroups: ['AWSManagedRulesSQLiRuleSet'] })).toThrow(/waf\.managedRuleGroups\[0\]/);
    expect(refused({ managedRuleGroups: ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesCommonRuleSet'] })).toThrow('each group once');
    expect(refused({ managedRuleGroups: ['AWSManagedRulesCommonRuleSet'], rateLimitPerIpPer5Minutes: 50 })).toThrow(/waf\.rateLimitPerIpPer5Minutes/);
  });
});
