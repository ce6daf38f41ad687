// An optional web application firewall in front of one service stack's edge (its load balancer or its API
// stage): AWS managed rule groups from config, and a per-IP rate limit. Requests the rules do not block pass.
import { Wafv2WebAcl, type Wafv2WebAclRule } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { Construct } from 'constructs';
import type { WafConfig } from '../config/infra-config';

export interface WebAclProps {
  /** The web ACL's name, also the prefix of its metric names. */
  readonly name: string;
  readonly settings: WafConfig;
  /** The load balancer's or the API stage's ARN. */
  readonly resourceArn: string;
}

// The Common rule set blocks every body over 8 KB (SizeRestrictions_BODY): a batch of predictions is larger,
// and the server enforces its own MAX_BODY_BYTES, so that one rule only counts.
const RULES_THAT_COUNT: Readonly<Record<string, readonly string[]>> = {
  AWSManagedRulesCommonRuleSet: ['SizeRestrictions_BODY'],
};

const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });

export class WebAcl extends Construct {
  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const { rateLimitPerIpPer5Minutes, managedRuleGroups } = props.settings;
    // The rate limit first: a flood is blocked before the managed groups inspect it.
    const rateRule: Wafv2WebAclRule[] = rateLimitPerIpPer5Minutes
      ? [
          {
            name: 'rate-limit-per-ip',
            priority: 0,
            action: { block: {} },
            statement: { rate_based_statement: { limit: rateLimitPerIpPer5Minutes, aggregate_key_type: 'IP' } },
            visibilityConfig: visibility(`${props.name}-rate-limit-per-ip`),
          },
        ]
      : [];
    const managed = managedRuleGroups.map(
      (group, index): Wafv2WebAclRule => ({
        name: group,
        priority: index + 1,
        overrideAction: { none: {} },
        statement: {
          managed_rule_group_statement: {
            name: group,
            vendor_name: 'AWS',
            rule_action_override: (RULES_THAT_COUNT[group] ?? []).map((rule) => ({ name: rule, action_to_use: { count: {} } })),
          },
        },
        visibilityConfig: visibility(`${props.name}-${group}`),
      }),
    );
    const acl = new Wafv2WebAcl(this, 'acl', {
      name: props.name,
      description: `managed rule groups${rateLimitPerIpPer5Minutes ? ' and a per-IP rate limit' : ''} for ${props.name}`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rule: [...rateRule, ...managed],
      visibilityConfig: visibility(props.name),
    });
    new Wafv2WebAclAssociation(this, 'association', { resourceArn: props.resourceArn, webAclArn: acl.arn });
  }
}
