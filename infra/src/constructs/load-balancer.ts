// The public edge of the EC2 target: an Application Load Balancer that takes 80 (and 443 with a
// certificate) from the configured CIDRs only, and forwards to a target group health-checked on readiness.
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';

export interface LoadBalancerProps {
  readonly name: string;
  /** The load balancer's and target group's name: AWS allows 32 characters there. */
  readonly shortName: string;
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly ingressCidrs: readonly string[];
  /** With a certificate: HTTPS on 443 and 80 redirects to it. Without: plain HTTP on 80. */
  readonly certificateArn: string | null;
  readonly targetPort: number;
  readonly healthCheckPath: string;
}

export class LoadBalancer extends Construct {
  readonly securityGroupId: string;
  readonly targetGroupArn: string;
  readonly url: string;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    const securityGroup = new SecurityGroup(this, 'security-group', {
      name: `${props.name}-lb`,
      description: 'load balancer: HTTP(S) in from the configured CIDRs, app port out to the instances',
      vpcId: props.vpcId,
    });
    const ports = props.certificateArn ? [80, 443] : [80];
    for (const port of ports) {
      props.ingressCidrs.forEach((cidr, index) => {
        new VpcSecurityGroupIngressRule(this, `ingress-${port}-${index}`, {
          securityGroupId: securityGroup.id,
          ipProtocol: 'tcp',
          fromPort: port,
          toPort: port,
          cidrIpv4: cidr,
          description: `HTTP${port === 443 ? 'S' : ''} from ${cidr}`,
        });
      });
    }

    const lb = new Lb(this, 'lb', {
      name: props.shortName,
      loadBalancerType: 'application',
      internal: false,
      securityGroups: [securityGroup.id],
      subnets: [...props.subnetIds],
      dropInvalidHeaderFields: true,
    });
    const targetGroup = new LbTargetGroup(this, 'targets', {
      name: props.shortName,
      port: props.targetPort,
      protocol: 'HTTP',
      vpcId: props.vpcId,
      targetType: 'instance',
      deregistrationDelay: '30',
      healthCheck: {
        path: props.healthCheckPath,
        matcher: '200',
        interval: 15,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
    });
    const forward = [{ type: 'forward', targetGroupArn: targetGroup.arn }];
    if (props.certificateArn) {
      new LbListener(this, 'https', {
        loadBalancerArn: lb.arn,
        port: 443,
        protocol: 'HTTPS',
        certificateArn: props.certificateArn,
        sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        defaultAction: forward,
      });
    }
    new LbListener(this, 'http', {
      loadBalancerArn: lb.arn,
      port: 80,
      protocol: 'HTTP',
      defaultAction: props.certificateArn
        ? [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }]
        : forward,
    });

    this.securityGroupId = securityGroup.id;
    this.targetGroupArn = targetGroup.arn;
    this.url = `${props.certificateArn ? 'https' : 'http'}://${lb.dnsName}`;
  }
}
