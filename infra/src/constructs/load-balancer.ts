// The public edge of the EC2 target: an Application Load Balancer that takes 80 (and 443 with a
// certificate, TLS 1.2+ only) from the configured CIDRs only, and forwards to a target group health-checked on
// readiness; optionally gRPC on an HTTPS port of its own, to an HTTP/2 target group with gRPC health checks.
// Access logs go to a private bucket of its own.
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import type { PolicyStatement } from '../aws/iam-policy';
import { privateBucket } from './private-bucket';

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
  /** gRPC on listenerPort (HTTPS: needs the certificate) to the instances' port; its target group's name. */
  readonly grpc: { readonly listenerPort: number; readonly port: number; readonly shortName: string } | null;
  readonly deletionProtection: boolean;
  readonly accessLogs: { readonly bucketName: string; readonly region: string; readonly retentionDays: number; readonly forceDestroy: boolean };
}

/** The TLS policy of the HTTPS listener: TLS 1.3 and 1.2 with forward secrecy only. */
export const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/** The standard gRPC health service's method; the load balancer counts status OK (0) as healthy. */
export const GRPC_HEALTH_CHECK = { path: '/grpc.health.v1.Health/Check', matcher: '0' } as const;

const HEALTH_TIMING = { interval: 15, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 3 } as const;

// Regions older than August 2022 deliver access logs as their Elastic Load Balancing account; newer ones as
// the log delivery service (docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html).
const ELB_ACCOUNTS: Readonly<Record<string, string>> = {
  'us-east-1': '127311923021',
  'us-east-2': '033677994240',
  'us-west-1': '027434742980',
  'us-west-2': '797873946194',
  'eu-west-1': '156460612806',
  'eu-west-2': '652711504416',
  'eu-central-1': '054676820928',
  'ap-northeast-1': '582318560864',
  'ap-southeast-1': '114774131450',
  'ap-southeast-2': '783225319266',
};

const logDelivery = (region: string) => (bucketArn: string): PolicyStatement[] => {
  const account = ELB_ACCOUNTS[region];
  return [
    {
      Sid: 'LoadBalancerAccessLogs',
      Effect: 'Allow',
      Principal: account ? { AWS: `arn:aws:iam::${account}:root` } : { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `${bucketArn}/*`,
    },
  ];
};

export class LoadBalancer extends Construct {
  readonly arn: string;
  readonly securityGroupId: string;
  /** Every target group the instances register with: HTTP, and gRPC when it is on. */
  readonly targetGroupArns: string[];
  /** The dimension values of their CloudWatch metrics. */
  readonly arnSuffix: string;
  readonly targetGroupArnSuffix: string;
  readonly grpcTargetGroupArnSuffix: string | undefined;
  readonly url: string;
  /** host:port for gRPC clients (TLS), when gRPC is on. */
  readonly grpcAddress: string | undefined;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    const securityGroup = new SecurityGroup(this, 'security-group', {
      name: `${props.name}-lb`,
      description: 'load balancer: HTTP(S) in from the configured CIDRs, app port out to the instances',
      vpcId: props.vpcId,
    });
    const ports = [80, ...(props.certificateArn ? [443] : []), ...(props.grpc ? [props.grpc.listenerPort] : [])];
    for (const port of ports) {
      const what = port === 80 ? 'HTTP' : port === 443 ? 'HTTPS' : 'gRPC (HTTPS)';
      props.ingressCidrs.forEach((cidr, index) => {
        new VpcSecurityGroupIngressRule(this, `ingress-${port}-${index}`, {
          securityGroupId: securityGroup.id,
          ipProtocol: 'tcp',
          fromPort: port,
          toPort: port,
          cidrIpv4: cidr,
          description: `${what} from ${cidr}`,
        });
      });
    }

    const logs = privateBucket(this, {
      bucketName: props.accessLogs.bucketName,
      forceDestroy: props.accessLogs.forceDestroy,
      lifecycleRule: { id: 'expire-logs', status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ days: props.accessLogs.retentionDays }] },
      statements: logDelivery(props.accessLogs.region),
    });
    const lb = new Lb(this, 'lb', {
      name: props.shortName,
      loadBalancerType: 'application',
      internal: false,
      securityGroups: [securityGroup.id],
      subnets: [...props.subnetIds],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: props.deletionProtection,
      accessLogs: { bucket: logs.bucket.bucket, enabled: true },
      // The bucket policy must let the load balancer write before it is turned on.
      dependsOn: [logs.policy],
    });
    const targetGroup = new LbTargetGroup(this, 'targets', {
      name: props.shortName,
      port: props.targetPort,
      protocol: 'HTTP',
      vpcId: props.vpcId,
      targetType: 'instance',
      deregistrationDelay: '30',
      healthCheck: { path: props.healthCheckPath, matcher: '200', ...HEALTH_TIMING },
    });
    const forward = [{ type: 'forward', targetGroupArn: targetGroup.arn }];
    if (props.certificateArn) {
      new LbListener(this, 'https', {
        loadBalancerArn: lb.arn,
        port: 443,
        protocol: 'HTTPS',
        certificateArn: props.certificateArn,
        sslPolicy: TLS_POLICY,
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

    const grpc = props.grpc && props.certificateArn ? this.grpcRoute(lb, props.grpc, props.certificateArn, props.vpcId) : undefined;

    this.arn = lb.arn;
    this.securityGroupId = securityGroup.id;
    this.targetGroupArns = [targetGroup.arn, ...(grpc ? [grpc.arn] : [])];
    this.arnSuffix = lb.arnSuffix;
    this.targetGroupArnSuffix = targetGroup.arnSuffix;
    this.grpcTargetGroupArnSuffix = grpc?.arnSuffix;
    this.url = `${props.certificateArn ? 'https' : 'http'}://${lb.dnsName}`;
    this.grpcAddress = props.grpc ? `${lb.dnsName}:${props.grpc.listenerPort}` : undefined;
  }

  /** An HTTPS listener of its own forwarding to an HTTP/2 target group that speaks gRPC, health-checked over gRPC. */
  private grpcRoute(lb: Lb, grpc: NonNullable<LoadBalancerProps['grpc']>, certificateArn: string, vpcId: string): LbTargetGroup {
    const targetGroup = new LbTargetGroup(this, 'grpc-targets', {
      name: grpc.shortName,
      port: grpc.port,
      protocol: 'HTTP',
      protocolVersion: 'GRPC',
      vpcId,
      targetType: 'instance',
      deregistrationDelay: '30',
      healthCheck: { protocol: 'HTTP', ...GRPC_HEALTH_CHECK, ...HEALTH_TIMING },
    });
    new LbListener(this, 'grpc', {
      loadBalancerArn: lb.arn,
      port: grpc.listenerPort,
      protocol: 'HTTPS',
      certificateArn,
      sslPolicy: TLS_POLICY,
      defaultAction: [{ type: 'forward', targetGroupArn: targetGroup.arn }],
    });
    return targetGroup;
  }
}
