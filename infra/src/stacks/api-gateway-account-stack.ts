// API Gateway's CloudWatch role is one setting per account and region: every service's REST stage writes
// access logs through it, so it lives in a shared stack deployed before the first Lambda service.
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { ApiGatewayLogRole } from '../constructs/api-gateway-log-role';
import { AppStack, type StackEnvironment } from './app-stack';

export class ApiGatewayAccountStack extends AppStack {
  constructor(scope: Construct, props: { readonly env: StackEnvironment }) {
    super(scope, { id: 'api-gateway-account', stateName: 'api-gateway-account' }, props.env);
    const role = new ApiGatewayLogRole(this, 'account-log-role', { roleName: `${props.env.namePrefix}-apigw-logs`, target: props.env });
    new TerraformOutput(this, 'cloudwatch_role_arn', { value: role.account.cloudwatchRoleArn });
  }
}
