// The server image on an Auto Scaling group of EC2 instances behind a load balancer. Owns the instances'
// role (ECR pull, model reads, its log group, the API-keys parameter, Session Manager: no SSH), their
// security group (app port from the load balancer only) and the launch template (IMDSv2, encrypted disk).
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { AutoscalingPolicy } from '@cdktf/provider-aws/lib/autoscaling-policy';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import type { Architecture } from '../config/infra-config';
import { serverInstancePolicy } from './server-instance-policy';
import { serverUserData, type ServerUserDataProps } from './server-user-data';
import { workloadRole } from './workload-role';

export interface ServerFleetProps extends Omit<ServerUserDataProps, 'logGroupName'> {
  readonly name: string;
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly instanceType: string;
  readonly architecture: Architecture;
  readonly capacity: { readonly min: number; readonly max: number };
  readonly targetCpuPercent: number;
  readonly volumeSizeGb: number;
  readonly logRetentionDays: number;
  /** The boundary the instances' role is created under. */
  readonly permissionsBoundary: string;
  /** The stack's tags: the provider's default tags reach neither the instances nor their volumes. */
  readonly tags: Readonly<Record<string, string>>;
  readonly loadBalancer: { readonly securityGroupId: string; readonly targetGroupArns: readonly string[] };
}

/** Install Docker, pull the image, load the models: how long before an instance's health checks count. */
const BOOT_SECONDS = 300;

export class ServerFleet extends Construct {
  readonly autoScalingGroupName: string;

  constructor(scope: Construct, id: string, props: ServerFleetProps) {
    super(scope, id);
    // A plain name, not the resource's token: it is baked into the base64 user data at synth.
    const logGroupName = `/ec2/${props.name}`;
    const logGroup = new CloudwatchLogGroup(this, 'logs', { name: logGroupName, retentionInDays: props.logRetentionDays });
    const { role } = workloadRole(this, {
      name: `${props.name}-server`,
      assumedBy: 'ec2.amazonaws.com',
      permissionsBoundary: props.permissionsBoundary,
      policyName: 'least-privilege',
      policy: serverInstancePolicy(props, logGroup.arn),
    });
    const profile = new IamInstanceProfile(this, 'profile', { name: `${props.name}-server`, role: role.name });

    const securityGroup = new SecurityGroup(this, 'security-group', {
      name: `${props.name}-instances`,
      description: 'instances: the app port from the load balancer only; HTTPS out for ECR, S3, SSM and packages',
      vpcId: props.vpcId,
    });
    // The app port, and the gRPC port when the load balancer routes gRPC: each from the load balancer only.
    const ports = [
      { id: '', port: props.appPort, what: 'app port' },
      ...(props.grpcPort === null ? [] : [{ id: 'grpc-', port: props.grpcPort, what: 'gRPC port' }]),
    ];
    for (const { id, port, what } of ports) {
      new VpcSecurityGroupIngressRule(this, `${id}from-load-balancer`, {
        securityGroupId: securityGroup.id,
        referencedSecurityGroupId: props.loadBalancer.securityGroupId,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        description: `${what} from the load balancer`,
      });
      new VpcSecurityGroupEgressRule(this, `${id}load-balancer-to-instances`, {
        securityGroupId: props.loadBalancer.securityGroupId,
        referencedSecurityGroupId: securityGroup.id,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        description: `to the instances on the ${what}`,
      });
    }
    new VpcSecurityGroupEgressRule(this, 'https-out', {
      securityGroupId: securityGroup.id,
      cidrIpv4: '0.0.0.0/0',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      description: 'HTTPS to AWS APIs (ECR, S3, SSM, logs) and the OS package mirrors',
    });

    const template = new LaunchTemplate(this, 'launch-template', {
      name: props.name,
      // Resolved at each launch, so new instances boot the current Amazon Linux 2023 AMI.
      imageId: `resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${props.architecture}`,
      instanceType: props.instanceType,
      iamInstanceProfile: { arn: profile.arn },
      vpcSecurityGroupIds: [securityGroup.id],
      // IMDSv2 only; hop limit 2 so the SDK inside the container (one network hop more) still gets credentials.
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 2 },
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: { encrypted: 'true', volumeSize: props.volumeSizeGb, volumeType: 'gp3', deleteOnTermination: 'true' },
        },
      ],
      userData: Buffer.from(serverUserData({ ...props, logGroupName })).toString('base64'),
      tagSpecifications: (['instance', 'volume', 'network-interface'] as const).map((resourceType) => ({
        resourceType,
        tags: { ...props.tags, Name: props.name },
      })),
      updateDefaultVersion: true,
    });

    const group = new AutoscalingGroup(this, 'group', {
      name: props.name,
      // No desired capacity: the group starts at the minimum and the CPU target moves it from there; a fixed
      // value here would reset the fleet's size on every apply.
      minSize: props.capacity.min,
      maxSize: props.capacity.max,
      vpcZoneIdentifier: [...props.subnetIds],
      targetGroupArns: [...props.loadBalancer.targetGroupArns],
      healthCheckType: 'ELB',
      // Time to install Docker, pull the image and load the models before the first health check counts.
      healthCheckGracePeriod: BOOT_SECONDS,
      launchTemplate: { id: template.id, version: template.latestVersion.toString() },
      // A new launch template version (say, a new image digest) rolls the instances: each replacement starts
      // and turns healthy before the one it replaces stops, so the fleet never drops below its size (a
      // one-instance dev fleet included).
      instanceRefresh: {
        strategy: 'Rolling',
        preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200, instanceWarmup: String(BOOT_SECONDS) },
      },
      // The CPU target moves the size; an apply must not move it back.
      lifecycle: { ignoreChanges: ['desired_capacity'] },
    });
    new AutoscalingPolicy(this, 'cpu-target', {
      name: `${props.name}-cpu`,
      autoscalingGroupName: group.name,
      policyType: 'TargetTrackingScaling',
      targetTrackingConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: 'ASGAverageCPUUtilization' },
        targetValue: props.targetCpuPercent,
      },
    });
    this.autoScalingGroupName = group.name;
  }
}
