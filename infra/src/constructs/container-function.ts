// A Lambda function from a container image pinned by digest, with its own log group (retention set here,
// not left to Lambda's never-expiring default) and a role that can write only there plus what the caller adds.
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { Construct } from 'constructs';
import { logWriteStatement, policyDocument, type PolicyStatement } from '../aws/iam-policy';
import type { Architecture } from '../config/infra-config';
import { workloadRole } from './workload-role';

export interface ContainerFunctionProps {
  readonly functionName: string;
  readonly imageUri: string;
  readonly architecture: Architecture;
  readonly memoryMb: number;
  readonly ephemeralStorageMb: number;
  readonly timeoutSeconds: number;
  readonly reservedConcurrency: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetentionDays: number;
  /** The boundary the function's role is created under. */
  readonly permissionsBoundary: string;
  /** What the code itself needs beyond writing its logs. */
  readonly statements: readonly PolicyStatement[];
}

export class ContainerFunction extends Construct {
  readonly functionName: string;
  readonly invokeArn: string;

  constructor(scope: Construct, id: string, props: ContainerFunctionProps) {
    super(scope, id);
    const logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays,
    });
    const { role, policy } = workloadRole(this, {
      name: `${props.functionName}-lambda`,
      assumedBy: 'lambda.amazonaws.com',
      permissionsBoundary: props.permissionsBoundary,
      policyName: 'least-privilege',
      policy: policyDocument([logWriteStatement(logGroup.arn), ...props.statements]),
    });
    const fn = new LambdaFunction(this, 'function', {
      functionName: props.functionName,
      packageType: 'Image',
      imageUri: props.imageUri,
      architectures: [props.architecture],
      memorySize: props.memoryMb,
      ephemeralStorage: { size: props.ephemeralStorageMb },
      timeout: props.timeoutSeconds,
      reservedConcurrentExecutions: props.reservedConcurrency,
      role: role.arn,
      environment: { variables: { ...props.environment } },
      // The group must exist first, or Lambda creates one with no retention; the policy too, for the first cold start.
      dependsOn: [logGroup, policy],
    });
    this.functionName = fn.functionName;
    this.invokeArn = fn.invokeArn;
  }
}
