// API Gateway writes access logs through one role set per account and region; a REST stage with access
// logging fails to create until it is set. Scoped to this account's log groups in this region.
import { ApiGatewayAccount } from '@cdktf/provider-aws/lib/api-gateway-account';
import { Construct } from 'constructs';
import { logGroupsArn, permissionsBoundaryArn, type AccountRegion } from '../aws/arns';
import { policyDocument } from '../aws/iam-policy';
import { workloadRole } from './workload-role';

export class ApiGatewayLogRole extends Construct {
  readonly account: ApiGatewayAccount;

  constructor(scope: Construct, id: string, props: { readonly roleName: string; readonly target: AccountRegion }) {
    super(scope, id);
    const groups = logGroupsArn(props.target);
    const { role, policy } = workloadRole(this, {
      name: props.roleName,
      assumedBy: 'apigateway.amazonaws.com',
      permissionsBoundary: permissionsBoundaryArn(props.target),
      policyName: 'push-to-cloudwatch-logs',
      policy: policyDocument([
        {
          Sid: 'PushLogs',
          Effect: 'Allow',
          Action: [
            'logs:CreateLogGroup',
            'logs:CreateLogStream',
            'logs:DescribeLogGroups',
            'logs:DescribeLogStreams',
            'logs:PutLogEvents',
            'logs:GetLogEvents',
            'logs:FilterLogEvents',
          ],
          Resource: [groups, `${groups}:log-stream:*`],
        },
      ]),
    });
    this.account = new ApiGatewayAccount(this, 'account', { cloudwatchRoleArn: role.arn, dependsOn: [policy] });
  }
}
