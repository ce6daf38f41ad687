// A service's EC2 target: its server image on its own Auto Scaling group (instance type and fleet size from
// its service.json) behind its own Application Load Balancer, in the account's VPC. Image digest and model
// location arrive as plain props, like lambda-api.
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { permissionsBoundaryArn } from '../aws/arns';
import { fitName, LOAD_BALANCER_NAME_MAX, serviceResourceName, serviceStackId } from '../aws/names';
import { Alarms, type AlarmThresholds } from '../constructs/alarms';
import { LoadBalancer } from '../constructs/load-balancer';
import { WebAcl } from '../constructs/web-acl';
import type { WafConfig } from '../config/infra-config';
import { ServerFleet, type ServerFleetProps } from '../constructs/server-fleet';
import { AppStack, type StackEnvironment } from './app-stack';

const READINESS_PATH = '/ready';

export interface Ec2ApiStackProps extends Omit<ServerFleetProps, 'name' | 'subnetIds' | 'loadBalancer' | 'permissionsBoundary' | 'tags' | 'grpcPort'> {
  readonly env: StackEnvironment;
  readonly service: string;
  readonly loadBalancerSubnetIds: readonly string[];
  readonly instanceSubnetIds: readonly string[];
  readonly ingressCidrs: readonly string[];
  readonly certificateArn: string | null;
  /** gRPC through the load balancer (HTTPS on listenerPort) to the container's GRPC_PORT, or none. */
  readonly grpc: { readonly listenerPort: number; readonly port: number } | null;
  readonly deletionProtection: boolean;
  /** Whether a destroy empties the access-log bucket (models.forceDestroy). */
  readonly forceDestroyLogs: boolean;
  readonly alarms: AlarmThresholds & { readonly email: string | null };
  /** A web ACL in front of the load balancer, or none. */
  readonly waf: WafConfig | null;
}

export class Ec2ApiStack extends AppStack {
  constructor(scope: Construct, props: Ec2ApiStackProps) {
    const { service } = props;
    super(scope, { id: serviceStackId(service, 'server'), stateName: `services/${service}/ec2-api`, service }, props.env);
    const name = serviceResourceName(props.env.namePrefix, service);
    const lb = new LoadBalancer(this, 'load-balancer', {
      name,
      shortName: fitName(name, LOAD_BALANCER_NAME_MAX),
      vpcId: props.vpcId,
      subnetIds: props.loadBalancerSubnetIds,
      ingressCidrs: props.ingressCidrs,
      certificateArn: props.certificateArn,
      targetPort: props.appPort,
      healthCheckPath: READINESS_PATH,
      grpc: props.grpc && { ...props.grpc, shortName: fitName(`${name}-grpc`, LOAD_BALANCER_NAME_MAX) },
      deletionProtection: props.deletionProtection,
      accessLogs: {
        bucketName: `${name}-lb-logs-${props.env.accountId}`,
        region: props.env.region,
        retentionDays: props.logRetentionDays,
        forceDestroy: props.forceDestroyLogs,
      },
    });
    const fleet = new ServerFleet(this, 'fleet', {
      ...props,
      name,
      subnetIds: props.instanceSubnetIds,
      permissionsBoundary: permissionsBoundaryArn(props.env),
      tags: this.resourceTags,
      grpcPort: props.grpc?.port ?? null,
      loadBalancer: lb,
    });
    if (props.waf) new WebAcl(this, 'waf', { name: `${name}-server`, settings: props.waf, resourceArn: lb.arn });
    const alarms = new Alarms(this, 'alarms', { name, email: props.alarms.email });
    const count = (id: string, metricName: string) => ({
      id,
      metric: { namespace: 'AWS/ApplicationELB', metricName, dimensions: { LoadBalancer: lb.arnSuffix }, period: 60, stat: 'Sum' },
    });
    alarms.add('5xx-rate', {
      description: `more than ${props.alarms.errorRatePercent}% of requests answered 5xx (by the instances or the load balancer)`,
      threshold: props.alarms.errorRatePercent,
      metric: {
        queries: [
          count('target', 'HTTPCode_Target_5XX_Count'),
          count('edge', 'HTTPCode_ELB_5XX_Count'),
          count('requests', 'RequestCount'),
          { id: 'rate', expression: '100 * (FILL(target, 0) + FILL(edge, 0)) / requests', label: '5xx percent', returnData: true },
        ],
      },
    });
    alarms.add('p99-latency', {
      description: `the 99th percentile of latency above ${props.alarms.p99LatencyMs} ms`,
      threshold: props.alarms.p99LatencyMs / 1000, // TargetResponseTime is in seconds
      metric: { namespace: 'AWS/ApplicationELB', name: 'TargetResponseTime', dimensions: { LoadBalancer: lb.arnSuffix }, statistic: 'p99' },
    });
    const unhealthy = (suffix: string, description: string, targetGroupArnSuffix: string) =>
      alarms.add(suffix, {
        description,
        threshold: 0,
        metric: {
          namespace: 'AWS/ApplicationELB',
          name: 'UnHealthyHostCount',
          dimensions: { LoadBalancer: lb.arnSuffix, TargetGroup: targetGroupArnSuffix },
          statistic: 'Maximum',
        },
      });
    unhealthy('unhealthy-hosts', 'an instance fails its readiness check', lb.targetGroupArnSuffix);
    if (lb.grpcTargetGroupArnSuffix) unhealthy('grpc-unhealthy-hosts', 'an instance fails its gRPC health check', lb.grpcTargetGroupArnSuffix);
    new TerraformOutput(this, 'alarm_topic_arn', { value: alarms.topicArn });
    new TerraformOutput(this, 'url', { value: lb.url });
    if (lb.grpcAddress) new TerraformOutput(this, 'grpc_address', { value: lb.grpcAddress });
    new TerraformOutput(this, 'autoscaling_group_name', { value: fleet.autoScalingGroupName });
  }
}
