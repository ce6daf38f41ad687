// The EC2 target: the server image on an Auto Scaling group behind an Application Load Balancer, in an
// existing VPC named by config. Image digest and model location arrive as plain props, like lambda-api.
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { LoadBalancer } from '../constructs/load-balancer';
import { ServerFleet, type ServerFleetProps } from '../constructs/server-fleet';
import { AppStack, type StackEnvironment } from './app-stack';

const READINESS_PATH = '/ready';

export interface Ec2ApiStackProps extends Omit<ServerFleetProps, 'name' | 'subnetIds' | 'loadBalancer'> {
  readonly env: StackEnvironment;
  readonly loadBalancerSubnetIds: readonly string[];
  readonly instanceSubnetIds: readonly string[];
  readonly ingressCidrs: readonly string[];
  readonly certificateArn: string | null;
}

export class Ec2ApiStack extends AppStack {
  constructor(scope: Construct, props: Ec2ApiStackProps) {
    super(scope, 'ec2-api', props.env);
    const name = `${props.env.namePrefix}-api`;
    const lb = new LoadBalancer(this, 'load-balancer', {
      name,
      vpcId: props.vpcId,
      subnetIds: props.loadBalancerSubnetIds,
      ingressCidrs: props.ingressCidrs,
      certificateArn: props.certificateArn,
      targetPort: props.appPort,
      healthCheckPath: READINESS_PATH,
    });
    const fleet = new ServerFleet(this, 'fleet', {
      ...props,
      name,
      subnetIds: props.instanceSubnetIds,
      loadBalancer: lb,
    });
    new TerraformOutput(this, 'url', { value: lb.url });
    new TerraformOutput(this, 'autoscaling_group_name', { value: fleet.autoScalingGroupName });
  }
}
