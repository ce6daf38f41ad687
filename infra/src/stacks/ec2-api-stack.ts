// A service's EC2 target: its server image on its own Auto Scaling group (instance type and fleet size from
// its service.json) behind its own Application Load Balancer, in the account's VPC. Image digest and model
// location arrive as plain props, like lambda-api.
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { permissionsBoundaryArn } from '../aws/arns';
import { fitName, LOAD_BALANCER_NAME_MAX, serviceResourceName, serviceStackId } from '../aws/names';
import { LoadBalancer } from '../constructs/load-balancer';
import { ServerFleet, type ServerFleetProps } from '../constructs/server-fleet';
import { AppStack, type StackEnvironment } from './app-stack';

const READINESS_PATH = '/ready';

export interface Ec2ApiStackProps extends Omit<ServerFleetProps, 'name' | 'subnetIds' | 'loadBalancer' | 'permissionsBoundary' | 'tags'> {
  readonly env: StackEnvironment;
  readonly service: string;
  readonly loadBalancerSubnetIds: readonly string[];
  readonly instanceSubnetIds: readonly string[];
  readonly ingressCidrs: readonly string[];
  readonly certificateArn: string | null;
  readonly deletionProtection: boolean;
  /** Whether a destroy empties the access-log bucket (models.forceDestroy). */
  readonly forceDestroyLogs: boolean;
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
      loadBalancer: lb,
    });
    new TerraformOutput(this, 'url', { value: lb.url });
    new TerraformOutput(this, 'autoscaling_group_name', { value: fleet.autoScalingGroupName });
  }
}
