// The one way these stacks make a role: assumed by one AWS service, under the permissions boundary the
// deployer policy requires, with one inline policy. Created in the caller's scope (ids `role`, `policy`),
// so resource addresses stay those of the construct that owns the role.
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { Construct } from 'constructs';
import { assumeRolePolicy } from '../aws/iam-policy';

export interface WorkloadRoleProps {
  readonly name: string;
  /** The service principal that assumes it, like lambda.amazonaws.com. */
  readonly assumedBy: string;
  /** The ARN of the boundary policy (permissionsBoundaryArn). */
  readonly permissionsBoundary: string;
  readonly policyName: string;
  /** The inline policy document, as JSON. */
  readonly policy: string;
}

export function workloadRole(scope: Construct, props: WorkloadRoleProps): { role: IamRole; policy: IamRolePolicy } {
  const role = new IamRole(scope, 'role', {
    name: props.name,
    assumeRolePolicy: assumeRolePolicy(props.assumedBy),
    permissionsBoundary: props.permissionsBoundary,
  });
  const policy = new IamRolePolicy(scope, 'policy', { role: role.id, name: props.policyName, policy: props.policy });
  return { role, policy };
}
